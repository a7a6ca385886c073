import type { APIRoute } from 'astro';
import { json } from '../../lib/http/index.ts';
import { publicOrigin } from '../../lib/stamps/index.ts';
import { RESOLVER_CORS, resolverDescription } from '../../lib/trace/index.ts';

export const GET: APIRoute = ({ url }) => json(resolverDescription(publicOrigin(url.origin)), { headers: { ...RESOLVER_CORS, 'Cache-Control': 'public, max-age=3600' } });
