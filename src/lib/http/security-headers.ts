/**
 * Security headers for every response the site writes. Pages carry no inline script (client code
 * is bundled into /_astro files), so `script-src 'self'` holds; styles may be inlined by Astro's
 * build, hence `style-src 'unsafe-inline'` (styles cannot run code). A route that needs a
 * stricter policy (stored media, the provenance page) sets its own and is left alone.
 */
export interface SecurityOptions {
  /** The request arrived over https (directly or behind a proxy that says so). */
  https: boolean;
  /** Extra form targets, e.g. Stripe Checkout when card payments are on. */
  formActions?: string[];
}

export function contentSecurityPolicy(opts: SecurityOptions): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    `form-action 'self'${opts.formActions?.length ? ` ${opts.formActions.join(' ')}` : ''}`,
    "frame-ancestors 'none'",
    ...(opts.https ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}

/** Headers that apply to everything, static files included. */
export function baseSecurityHeaders(https: boolean): Record<string, string> {
  return {
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'Cross-Origin-Opener-Policy': 'same-origin',
    // The /verify scanner needs the camera on our own origin only.
    'Permissions-Policy': 'camera=(self), microphone=(), geolocation=(), payment=()',
    ...(https ? { 'Strict-Transport-Security': 'max-age=31536000; includeSubDomains' } : {}),
  };
}

/** Sets what is missing on a response (never overrides a route's own, stricter policy). */
export function applySecurityHeaders(headers: Headers, opts: SecurityOptions): void {
  for (const [name, value] of Object.entries(baseSecurityHeaders(opts.https))) {
    if (!headers.has(name)) headers.set(name, value);
  }
  if (!headers.has('Content-Security-Policy')) headers.set('Content-Security-Policy', contentSecurityPolicy(opts));
}

/** https as the client sees it: the URL itself, or a proxy's X-Forwarded-Proto. */
export function isHttps(url: URL, forwardedProto: string | null): boolean {
  return url.protocol === 'https:' || forwardedProto?.split(',')[0]?.trim() === 'https';
}
