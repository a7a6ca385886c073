import { AppError, bodyTooLarge, isAppError, isBadInput, isTooLarge, isUnavailable } from '../errors/index.ts';
import { log } from '../log/index.ts';

/** JSON responses for the /api endpoints. */
export function json(data: unknown, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  headers.set('Content-Type', 'application/json; charset=utf-8');
  if (!headers.has('Cache-Control')) headers.set('Cache-Control', 'no-store');
  return new Response(JSON.stringify(data), { ...init, headers });
}

/** The one mapping from errors to JSON: exposed AppErrors keep their code and message, anything else is generic. */
export function jsonError(err: unknown, requestId?: string): Response {
  if (isTooLarge(err) && !isAppError(err)) return jsonError(bodyTooLarge(err), requestId);
  if (isAppError(err) && err.expose) {
    // A refusal that lapses says when (429, or 409 "still in progress"): Retry-After in seconds.
    const retryAfter = Number(err.details?.retryAfter);
    const headers = Number.isSafeInteger(retryAfter) && retryAfter > 0 ? { 'Retry-After': String(retryAfter) } : undefined;
    return json({ error: { code: err.code, message: err.message, ...(err.fields ? { fields: err.fields } : {}), ...(err.details ?? {}) } }, { status: err.status, headers });
  }
  if (isBadInput(err)) {
    return json({ error: { code: 'invalid_input', message: 'The request contains characters or values that are not accepted.' } }, { status: 400 });
  }
  if (isUnavailable(err)) {
    return json({ error: { code: 'unavailable', message: 'The service is temporarily unavailable. Please try again shortly.' } }, { status: 503, headers: { 'Retry-After': '5' } });
  }
  log.error('unhandled error', { requestId, error: err instanceof Error ? err.stack : String(err) });
  return json({ error: { code: 'internal', message: 'Something went wrong on our side.', requestId } }, { status: 500 });
}

export function notFound(code: string, message: string): AppError {
  return new AppError('NOT_FOUND', code, message);
}

export { clientAddressFrom, isPublicAddress, networkPrefix } from './client-address.ts';
export { forwardedFrom, guardChunkedBody, MAX_BODY_BYTES, refuseLargeBody, secureCookies, settleForwarded, tooLargeResponse, type Forwarded } from './edge.ts';
export { applySecurityHeaders, baseSecurityHeaders, contentSecurityPolicy, isHttps, type SecurityOptions } from './security-headers.ts';

/**
 * A file to save (print sheets, exports): attachment with an ASCII name and its UTF-8 form,
 * never sniffed, never cached; SVG is sandboxed in case a browser opens it anyway.
 */
export function download(body: Uint8Array, file: { filename: string; contentType: string }, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  const ascii = file.filename.replace(/[^\w.-]/g, '_');
  headers.set('Content-Type', file.contentType);
  headers.set('Content-Disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`);
  headers.set('Content-Length', String(body.byteLength));
  headers.set('X-Content-Type-Options', 'nosniff');
  headers.set('Cache-Control', 'no-store');
  if (file.contentType.startsWith('image/svg')) headers.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox");
  return new Response(new Uint8Array(body), { ...init, headers });
}
export { labelTableCells } from './table-cards.ts';

/** A root-relative path or query that a URL parser would keep exactly as written (no dot segments, nothing to encode). */
const PLAIN_PATH = /^(?!.*%2e)(?!.*\/\.)\/(?![/\\])[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]*$/i;

/**
 * `new URL(path, origin).href`, without parsing in the common case (pages build a dozen absolute
 * links each — canonical, hreflang, Open Graph, JSON-LD — and parsing them was ~2 % of rendering a
 * product page): a plain root-relative path is appended to the origin as is; anything else
 * (another origin, dot segments, characters to encode) goes through the parser.
 */
export function absoluteUrl(path: string, origin: string): string {
  return PLAIN_PATH.test(path) ? origin + path : new URL(path, origin).href;
}
