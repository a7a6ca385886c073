import type { APIRoute } from 'astro';
import { publicOrigin } from '../../lib/stamps/index.ts';
import { serveDigitalLink } from '../../lib/trace/index.ts';

// GS1 Digital Link resolver: /01/<gtin>[/22/<cpv>][/10/<lot>][/21/<serial>] (src/lib/trace/resolver.ts).
export const ALL: APIRoute = ({ request, url, locals }) => serveDigitalLink(request, url, publicOrigin(url.origin), locals.locale === 'en' ? 'en' : null);
