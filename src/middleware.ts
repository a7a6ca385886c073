import { defineMiddleware } from 'astro:middleware';
import type { APIContext } from 'astro';
import { createT, localePath, stripLocale } from './lib/i18n/index.ts';
import { ensureReady } from './lib/app/index.ts';
import { AppError, isAppError, isBadInput, isTooLarge, isUnavailable } from './lib/errors/index.ts';
import { applySecurityHeaders, clientAddressFrom, isHttps, jsonError as apiError, json, tooLargeResponse } from './lib/http/index.ts';
import { rememberPage } from './lib/http/page-cache.ts';
import { withStockReads, type StockReads } from './lib/db/stock-reads.ts';
import { log } from './lib/log/index.ts';

import { config } from './lib/config/index.ts';
import {
  bearerToken, decide, isCrossSite, requirementFor, SESSION_COOKIE, userFromApiToken, userFromSession,
  type CurrentUser,
} from './lib/auth/index.ts';

/**
 * Every request: a request id, the locale from the path (/en/… → English, the rest Vietnamese),
 * `locale`, `t`, `path` on Astro.locals, and errors mapped to a page or JSON in one place.
 *
 * Pages exist once under src/pages: /en/products/x is served by src/pages/products/[slug].astro
 * through a rewrite (next(url) keeps the query string and does not run this middleware again).
 */
const REQUEST_ID = /^[\w.:-]{8,100}$/;
const isApi = (path: string) => path === '/api' || path.startsWith('/api/');

export const onRequest = defineMiddleware(async (context, next) => {
  // A page's `Astro.rewrite('/404')` runs this middleware again: keep what the first pass decided.
  if ((context.locals as Partial<App.Locals>).locale) return withHeaders(await next(), context);
  // A page the front may cache records the stock figures its rendering reads (lib/db/stock-reads).
  return context.locals.pageCache ? withStockReads((reads) => handle(context, next, reads)) : handle(context, next, undefined);
});

async function handle(context: APIContext, next: Parameters<Parameters<typeof defineMiddleware>[0]>[1], reads: StockReads | undefined): Promise<Response> {
  const { locals, url } = context;

  const incoming = context.request.headers.get('x-request-id');
  locals.requestId = incoming && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
  const { locale, path } = stripLocale(url.pathname);
  locals.locale = locale;
  locals.t = createT(locale);
  locals.path = path;
  locals.search = url.search;
  // The client, not a reverse proxy: X-Forwarded-For only through TRUSTED_PROXY_HOPS proxies.
  locals.clientAddress = clientAddressFrom(socketAddress(context), context.request.headers.get('x-forwarded-for'), config().TRUSTED_PROXY_HOPS);

  try {
    // ---- DB-readiness bootstrap (lead): migrations, seed, search index before the first page. ----
    await ensureReady();
    // ---- end of bootstrap ----

    // ---- accounts (backoffice): cross-site check, the signed-in user, role checks ----
    const denied = await guard(context, path);
    if (denied) return withHeaders(denied, context);
    // ---- end of accounts ----

    const rewritten = locale !== 'vi' && !isApi(path);
    const response = rewritten ? await next(new URL(path + url.search, url)) : await next();
    if (isApi(path) && response.status === 404 && !isJson(response)) {
      return withHeaders(json({ error: { code: 'not_found', message: 'No such endpoint' } }, { status: 404 }), context);
    }
    const final = withHeaders(response, context);
    // A page the front may cache (lib/http/page-cache) is kept when nothing personal went into it.
    return locals.pageCache ? rememberPage(locals.pageCache, final, Boolean(locals.user), !context.cookies.headers().next().done, reads) : final;
  } catch (error) {
    return withHeaders(await errorResponse(context, error, path), context);
  }
}

/**
 * Refuses cross-site state changes (403), sets `locals.user` from the session cookie or, on the
 * producer API, a Bearer token, and enforces the role of /dashboard, /admin and /api/producer|admin.
 */
async function guard(context: APIContext, path: string): Promise<Response | null> {
  const { request, url, locals } = context;
  const own = [url.origin, ...(config().PUBLIC_BASE_URL ? [new URL(config().PUBLIC_BASE_URL!).origin] : [])];
  const requirement = requirementFor(path);
  const bearer = requirement?.tokenAllowed ? bearerToken(request.headers.get('authorization')) : null;
  if (isCrossSite(request.method, request.headers, own, bearer !== null)) {
    const error = new AppError('FORBIDDEN', 'auth.cross_site', 'Cross-site requests are refused.');
    return isApi(path) ? apiError(error, locals.requestId) : rewriteTo(context, '/403', 403);
  }
  let user: CurrentUser | null = null;
  if (bearer) user = await userFromApiToken(bearer);
  else user = await userFromSession(context.cookies.get(SESSION_COOKIE)?.value);
  locals.user = user;
  const decision = decide(user, requirement);
  if (decision === 'ok') return null;
  if (requirement?.api) {
    const error = decision === 'unauthenticated'
      ? new AppError('UNAUTHORIZED', 'auth.required', 'Sign in or send a valid API token.')
      : new AppError('FORBIDDEN', 'auth.forbidden', 'This account may not use this endpoint.');
    return apiError(error, locals.requestId);
  }
  if (decision === 'unauthenticated') {
    const login = `${localePath('/login', locals.locale)}?next=${encodeURIComponent(url.pathname + url.search)}`;
    return new Response(null, { status: 303, headers: { Location: login, 'Cache-Control': 'no-store' } });
  }
  return rewriteTo(context, '/403', 403);
}

/** The one mapping from errors to responses: JSON under /api (lib/http), styled pages elsewhere. */
async function errorResponse(context: APIContext, error: unknown, path: string): Promise<Response> {
  if (isApi(path)) return apiError(error, context.locals.requestId);
  const status = isAppError(error) && error.expose ? error.status : isTooLarge(error) ? 413 : isBadInput(error) ? 400 : isUnavailable(error) ? 503 : 500;
  if (status === 500) log.error('page failed', { requestId: context.locals.requestId, path: context.url.pathname, error: error instanceof Error ? error.stack : String(error) });
  context.locals.errorStatus = status;
  if (status === 404) return rewriteTo(context, '/404', 404);
  // A body cut off at the size limit cannot be read again by a rewrite: the edge's own 413 page.
  if (status === 413) return tooLargeResponse(context.locals.locale, isApi(path));
  const page = await rewriteTo(context, '/500', status);
  if (status === 503) page.headers.set('Retry-After', '5');
  return page;
}

/** Renders one of the styled error pages; if even that fails, a bare page with no details. */
async function rewriteTo(context: APIContext, page: '/403' | '/404' | '/500', status: number): Promise<Response> {
  try {
    const rendered = await context.rewrite(page);
    return new Response(rendered.body, { status, headers: rendered.headers });
  } catch (error) {
    log.error('rendering the error page failed', { requestId: context.locals.requestId, page, error: error instanceof Error ? error.stack : String(error) });
    const body = `<!doctype html><meta charset="utf-8"><title>${status}</title><h1>${status}</h1><p>Request id: ${context.locals.requestId}</p>`;
    return new Response(body, { status, headers: { 'content-type': 'text/html; charset=utf-8' } });
  }
}

function isJson(response: Response): boolean {
  return (response.headers.get('content-type') ?? '').includes('application/json');
}

function withHeaders(response: Response, context: APIContext): Response {
  const { locals } = context;
  const set = (r: Response) => {
    r.headers.set('x-request-id', locals.requestId);
    applySecurityHeaders(r.headers, {
      https: isHttps(context.url, context.request.headers.get('x-forwarded-proto')),
      formActions: config().STRIPE_SECRET_KEY ? ['https://checkout.stripe.com'] : [],
    });
    const type = r.headers.get('content-type');
    if (type === 'text/html') r.headers.set('content-type', 'text/html; charset=utf-8');
    // A handler that chose the language itself (the GS1 resolver negotiates Accept-Language) keeps it.
    if (!isJson(r) && !r.headers.has('content-language')) r.headers.set('content-language', locals.locale);
    // Signed-in areas are never cached nor framed.
    if (locals.user || /^\/(dashboard|admin|login|pos)(\/|$)/.test(locals.path)) {
      r.headers.set('Cache-Control', 'no-store');
      r.headers.set('X-Frame-Options', 'DENY');
    }
    return r;
  };
  try {
    return set(response);
  } catch {
    // Headers of some responses (e.g. redirects, fetched ones) are immutable: copy them.
    return set(new Response(response.body, response));
  }
}

/** The socket's address as Astro's adapter saw it (its getter throws where the host has none). */
function socketAddress(context: APIContext): string | null {
  try {
    return context.clientAddress || null;
  } catch {
    return null;
  }
}

