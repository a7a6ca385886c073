import type { APIRoute } from 'astro';
import { handleTracePage } from '../../lib/trace/index.ts';

// The provenance page. scripts/start.ts serves /t/<code> before Astro (the fast path); this route
// runs the same handler under `astro dev` or any other host of the build.
const serve = (method: 'GET' | 'HEAD'): APIRoute => async ({ request, url, locals }) => {
  const reply = await handleTracePage({
    method,
    pathname: url.pathname,
    search: url.searchParams,
    acceptLanguage: request.headers.get('accept-language'),
    userAgent: request.headers.get('user-agent'),
    ip: locals.clientAddress,
    forcedLocale: locals.locale === 'en' ? 'en' : undefined,
  });
  return new Response(method === 'HEAD' ? null : reply.body, { status: reply.status, headers: reply.headers });
};
export const GET = serve('GET');
export const HEAD = serve('HEAD');
