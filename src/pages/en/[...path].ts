import type { APIRoute } from 'astro';

/**
 * English pages exist once under src/pages and are reached through the middleware's rewrite
 * (src/middleware.ts: /en/products/x renders src/pages/products/[slug].astro in English). This
 * route only makes every /en/… address a route: the node adapter hands Astro the request's locals
 * (among them the page cache's token, lib/http/page-cache) only for a request that matches one, so
 * without it no English page but /en itself was ever kept. The middleware never lets a page request
 * reach this handler; an API path under /en (not rewritten) does, and is answered as not found.
 */
export const ALL: APIRoute = (context) => context.rewrite('/404');
