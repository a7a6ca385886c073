import type { APIRoute } from 'astro';
import { AppError } from '../lib/errors/index.ts';
import { publicOrigin } from '../lib/stamps/index.ts';
import { isCompressedDigitalLinkPath, serveDigitalLink } from '../lib/trace/index.ts';

// A compressed GS1 Digital Link (/AQnYUc1gmg…) resolves like its /01/… form; any other one-segment
// path that no page has is the site's 404 page.
export const ALL: APIRoute = ({ request, url, locals }) => {
  if (!isCompressedDigitalLinkPath(url.pathname)) throw new AppError('NOT_FOUND', 'http.not_found', 'No such page.');
  return serveDigitalLink(request, url, publicOrigin(url.origin), locals.locale === 'en' ? 'en' : null);
};
