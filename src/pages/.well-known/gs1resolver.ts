import type { APIRoute } from 'astro';
import { json } from '../../lib/http/index.ts';
import { publicOrigin } from '../../lib/stamps/index.ts';
import { RESOLVER_ALLOW, RESOLVER_CORS, resolverDescription } from '../../lib/trace/index.ts';

// The resolver description file (GS1-Conformant resolver 1.2 §6): GET, HEAD, OPTIONS; 405 otherwise.
export const ALL: APIRoute = ({ request, url }) => {
  const headers = { ...RESOLVER_CORS, Allow: RESOLVER_ALLOW };
  if (request.method === 'OPTIONS') return new Response(null, { status: 204, headers: { ...headers, 'Access-Control-Max-Age': '86400' } });
  if (request.method !== 'GET' && request.method !== 'HEAD') return new Response(null, { status: 405, headers });
  return json(resolverDescription(publicOrigin(url.origin)), { headers: { ...headers, 'Cache-Control': 'public, max-age=3600' } });
};
