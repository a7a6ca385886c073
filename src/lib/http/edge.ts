import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { createT } from '../i18n/index.ts';

/** The largest request body taken in (astro.config.mjs gives Astro's adapter the same limit for chunked bodies). */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

/**
 * What the Node server (scripts/start.ts) settles about a request before anything else sees it,
 * so that Astro, the page cache and the trace handler all agree on one answer:
 *
 * - the scheme and host the visitor used. Behind TRUSTED_PROXY_HOPS reverse proxies (nginx
 *   terminating TLS), X-Forwarded-Proto and X-Forwarded-Host say them; with 0 hops those headers
 *   come from the client itself and are dropped. Astro's Node adapter builds the request URL from
 *   the socket (http) and the Host header, so an https visit is made visible to it by marking the
 *   request's socket encrypted: then `Astro.url`, the origin check, absolute links and the
 *   cookies' Secure flag all see https.
 * - every Set-Cookie of an https visit carries Secure, whatever the code that set it.
 * - a body announced larger than MAX_BODY_BYTES is refused with 413 before a byte of it is read.
 */

/** The value the outermost trusted proxy wrote: `hops` places from the right of a comma list. */
function trustedValue(header: string | string[] | undefined, hops: number): string | null {
  if (hops <= 0 || header === undefined) return null;
  const list = (Array.isArray(header) ? header.join(',') : header).split(',').map((s) => s.trim()).filter(Boolean);
  if (!list.length) return null;
  return list[Math.max(0, list.length - hops)] ?? null;
}

const HOST = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

export interface Forwarded {
  https: boolean;
  host: string | null;
}

/** The scheme and host as the visitor used them, trusting X-Forwarded-* only through `hops` proxies. */
export function forwardedFrom(headers: IncomingMessage['headers'], encrypted: boolean, hops: number): Forwarded {
  const proto = trustedValue(headers['x-forwarded-proto'], hops)?.toLowerCase();
  const host = trustedValue(headers['x-forwarded-host'], hops);
  return { https: proto === 'https' || (proto === undefined && encrypted), host: host && HOST.test(host) ? host : null };
}

/**
 * Rewrites the request in place to what `forwardedFrom` settled: Host, a normalised
 * X-Forwarded-Proto (never the client's own), no X-Forwarded-Host/Port, and an https visit's
 * socket seen as encrypted. Returns whether the visit is https.
 */
export function settleForwarded(req: IncomingMessage, res: ServerResponse, hops: number): boolean {
  const socket = req.socket as Socket & { encrypted?: boolean };
  const fwd = forwardedFrom(req.headers, Boolean(socket?.encrypted), hops);
  if (fwd.host) req.headers.host = fwd.host;
  delete req.headers['x-forwarded-host'];
  delete req.headers['x-forwarded-port'];
  req.headers['x-forwarded-proto'] = fwd.https ? 'https' : 'http';
  if (fwd.https && socket && !socket.encrypted) {
    // Only this request's view of the socket changes (a proxy's keep-alive connection may carry
    // both http and https visits); methods stay bound to the real socket.
    const view = new Proxy(socket, {
      has: (target, key) => key === 'encrypted' || Reflect.has(target, key),
      get(target, key) {
        if (key === 'encrypted') return true;
        const value = Reflect.get(target, key, target) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    Object.defineProperty(req, 'socket', { value: view, configurable: true, writable: true });
  }
  if (fwd.https) secureCookies(res);
  return fwd.https;
}

const SECURE = /;\s*secure\s*(;|$)/i;

function secured(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' && !SECURE.test(v) ? `${v}; Secure` : v));
  if (typeof value === 'string') return SECURE.test(value) ? value : `${value}; Secure`;
  return value;
}

/** Adds Secure to every cookie the response sets (an https visit: no cookie may travel in clear). */
export function secureCookies(res: ServerResponse): void {
  const setHeader = res.setHeader.bind(res);
  res.setHeader = ((name: string, value: number | string | readonly string[]) =>
    setHeader(name, name.toLowerCase() === 'set-cookie' ? (secured(value) as string[]) : value)) as typeof res.setHeader;
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
  res.writeHead = ((...args: unknown[]) => {
    const existing = res.getHeader('set-cookie');
    if (existing !== undefined) setHeader('set-cookie', secured(existing) as string[]);
    const headers = args.find((a, i) => i > 0 && a !== null && typeof a === 'object');
    if (Array.isArray(headers)) {
      // Raw [name, value, name, value…] form.
      for (let i = 0; i + 1 < headers.length; i += 2) if (String(headers[i]).toLowerCase() === 'set-cookie') headers[i + 1] = secured(headers[i + 1]);
    } else if (headers) {
      const record = headers as Record<string, unknown>;
      for (const key of Object.keys(record)) if (key.toLowerCase() === 'set-cookie') record[key] = secured(record[key]);
    }
    return writeHead(...args);
  }) as typeof res.writeHead;
}

/**
 * A body announced (Content-Length) larger than MAX_BODY_BYTES: answered 413 here, in the
 * visitor's language, without reading it into memory; the connection then closes.
 * Bodies sent in chunks are cut off at the same size while they are read (guardChunkedBody).
 */
export function refuseLargeBody(req: IncomingMessage, res: ServerResponse): boolean {
  const length = Number(req.headers['content-length']);
  if (!Number.isFinite(length) || length <= MAX_BODY_BYTES) return false;
  const url = req.url ?? '/';
  const api = url === '/api' || url.startsWith('/api/');
  const locale = api || url === '/en' || url.startsWith('/en/') || url.startsWith('/en?') ? 'en' : 'vi';
  const { status, headers, body } = tooLargeAnswer(locale, api);
  res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) });
  res.end(body);
  lingerThenClose(req);
  return true;
}

/**
 * A body sent in chunks (no size announced) is read through a counting reader that Astro's
 * adapter takes in place of the request stream (it reads `req.body` when it is an async
 * iterable). At MAX_BODY_BYTES + 1 the reader stops with the error `errors.isTooLarge` knows, so
 * the page or API answers its 413; unlike the adapter's own cut-off it leaves the connection open
 * and drops the rest of the body (bounded, as for an announced body), so the client reads the
 * answer instead of a reset connection.
 */
export function guardChunkedBody(req: IncomingMessage): void {
  if (req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] === undefined) return;
  (req as IncomingMessage & { body?: AsyncIterable<Uint8Array> }).body = limitedBody(req, MAX_BODY_BYTES);
}

async function* limitedBody(req: IncomingMessage, limit: number): AsyncGenerator<Uint8Array> {
  let received = 0;
  // destroyOnReturn: false: leaving early must not destroy the request (and with it the socket).
  const chunks = req.iterator({ destroyOnReturn: false })[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  for (;;) {
    const next = await chunks.next();
    if (next.done) return;
    received += next.value.byteLength;
    if (received > limit) {
      await chunks.return?.();
      // Drop the rest (the stream has no other reader now), bounded in time.
      req.resume();
      lingerThenClose(req);
      throw new Error(`Body size limit exceeded: received more than ${limit} bytes`);
    }
    yield next.value;
  }
}

/** How long the rest of a refused body is read and dropped so the client can read the 413. */
const LINGER_MS = 10_000;

/**
 * A client still sending the body it announced sees the connection reset before reading our
 * answer if we close at once (nginx's "lingering close" solves the same). Node reads and drops
 * what remains of a request whose response is finished (never keeping it) and keeps the
 * connection; here that is bounded in time, after which the connection is closed.
 */
function lingerThenClose(req: IncomingMessage): void {
  const socket = req.socket;
  const timer = setTimeout(() => socket?.destroy(), LINGER_MS);
  timer.unref();
  req.once('end', () => clearTimeout(timer));
  req.once('close', () => clearTimeout(timer));
}

/** The 413 answer: JSON under /api, else a short page in the visitor's language. */
function tooLargeAnswer(locale: 'vi' | 'en', api: boolean): { status: number; headers: Record<string, string>; body: string } {
  const t = createT(locale);
  const message = t('http.tooLarge.body', { mb: MAX_BODY_BYTES / 1024 / 1024 });
  const body = api
    ? JSON.stringify({ error: { code: 'http.body_too_large', message, limitBytes: MAX_BODY_BYTES } })
    : `<!doctype html><html lang="${locale}"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>413 · ${t('http.tooLarge.title')}</title>`
      + `<main style="font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem"><h1>${t('http.tooLarge.title')}</h1><p>${message}</p>`
      + `<p><a href="${locale === 'en' ? '/en' : '/'}">${t('notFound.home')}</a></p></main>`;
  return { status: 413, headers: { 'content-type': api ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8', 'cache-control': 'no-store' }, body };
}

/** The same 413 as a fetch Response (the middleware, when a chunked body was cut off while read). */
export function tooLargeResponse(locale: 'vi' | 'en', api: boolean): Response {
  const { status, headers, body } = tooLargeAnswer(api ? 'en' : locale, api);
  return new Response(body, { status, headers });
}
