import type { APIRoute } from 'astro';
import { publicOrigin } from '../../lib/stamps/index.ts';
import { resolveDigitalLink } from '../../lib/trace/index.ts';

// GS1 Digital Link resolver: /01/<gtin>[/22/<cpv>][/10/<lot>][/21/<serial>] (src/lib/trace/resolver.ts).
export const ALL: APIRoute = async ({ request, url, locals }) => {
  const method = request.method === 'HEAD' || request.method === 'OPTIONS' ? request.method : request.method === 'GET' ? 'GET' : null;
  if (!method) return new Response(null, { status: 405, headers: { allow: 'GET, HEAD, OPTIONS' } });
  const reply = await resolveDigitalLink({
    method,
    pathname: url.pathname,
    search: url.searchParams,
    accept: request.headers.get('accept'),
    acceptLanguage: request.headers.get('accept-language'),
    locale: locals.locale === 'en' && url.pathname.startsWith('/en/') ? 'en' : null,
    origin: publicOrigin(url.origin),
  });
  return new Response(method === 'GET' ? reply.body || null : null, { status: reply.status, headers: reply.headers });
};
