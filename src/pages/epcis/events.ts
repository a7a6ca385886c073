import type { APIRoute } from 'astro';
import { epcisCaller, epcisJson, epcisMethodNotAllowed, epcisOptions, problemResponse, queryEvents } from '../../lib/epcis/index.ts';
import { publicOrigin } from '../../lib/stamps/index.ts';

// GET /epcis/events: EPCIS 2.0 query (src/lib/epcis/query.ts); public events, plus a producer's own.
export const ALL: APIRoute = async ({ request, url, locals }) => {
  if (request.method === 'OPTIONS') return epcisOptions('GET, OPTIONS');
  if (request.method !== 'GET' && request.method !== 'HEAD') return epcisMethodNotAllowed('GET, OPTIONS');
  try {
    const caller = await epcisCaller(request, locals.user);
    const origin = publicOrigin(url.origin);
    const { document, nextPageToken } = await queryEvents(url.searchParams, caller?.role === 'producer' ? caller.producerId : null, origin);
    const headers: Record<string, string> = {};
    if (nextPageToken) {
      const next = new URL(`${origin}/epcis/events${url.search}`);
      next.searchParams.set('nextPageToken', nextPageToken);
      headers.Link = `<${next.href}>; rel="next"`;
    }
    return epcisJson(document, { headers });
  } catch (error) {
    return problemResponse(error, locals.requestId);
  }
};
