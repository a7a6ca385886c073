import { AppError } from '../errors/index.ts';
import type { CurrentUser, Role } from './auth.types.ts';

/**
 * Who may reach what, decided on the server for every request (src/middleware.ts calls these):
 * /dashboard and /api/producer are for producer accounts, /admin and /api/admin for the office.
 * Ownership (a producer's own products, lots…) is then enforced by the services' queries.
 */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface Requirement {
  role: Role;
  /** JSON endpoints answer 401/403; pages redirect to /login or show the 403 page. */
  api: boolean;
  /** Producer API tokens (`Authorization: Bearer`) are accepted on the producer API only. */
  tokenAllowed: boolean;
}

const under = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`);

/** `path` is the request path without the /en prefix. */
export function requirementFor(path: string): Requirement | null {
  if (under(path, '/api/producer')) return { role: 'producer', api: true, tokenAllowed: true };
  if (under(path, '/api/admin')) return { role: 'admin', api: true, tokenAllowed: false };
  if (under(path, '/dashboard')) return { role: 'producer', api: false, tokenAllowed: false };
  if (under(path, '/admin')) return { role: 'admin', api: false, tokenAllowed: false };
  // Counter staff of a point of sale (places area).
  if (under(path, '/api/pos')) return { role: 'pos', api: true, tokenAllowed: false };
  if (under(path, '/pos')) return { role: 'pos', api: false, tokenAllowed: false };
  return null;
}

export type Decision = 'ok' | 'unauthenticated' | 'forbidden';

export function decide(user: CurrentUser | null, req: Requirement | null): Decision {
  if (!req) return 'ok';
  if (!user) return 'unauthenticated';
  if (user.via === 'token' && !req.tokenAllowed) return 'unauthenticated';
  if (user.role !== req.role) return 'forbidden';
  if (user.role === 'producer' && user.producerId === null) return 'forbidden';
  return 'ok';
}

/**
 * Cross-site request forgery: a state-changing request must come from our own origin. This is the
 * site's one origin check (Astro's `security.checkOrigin` is off, see astro.config.mjs): it covers
 * every method and content type, JSON included, and is stricter than Astro's where Astro's is:
 * - an Origin header must be one of ours (the URL as the visitor used it, lib/http edge.ts, and
 *   PUBLIC_BASE_URL);
 * - without Origin, Sec-Fetch-Site same-site/cross-site is refused, and so is a form-like body
 *   (urlencoded, multipart, text/plain: what a cross-site HTML form can send) that would ride on
 *   ambient cookies;
 * - a request that authenticates with `Authorization: Bearer` (the producer API's scripts) carries
 *   no ambient credential a forged page could borrow, so it needs no Origin (`bearer`).
 */
const FORM_LIKE = /^(application\/x-www-form-urlencoded|multipart\/form-data|text\/plain)\b/i;

export function isCrossSite(method: string, headers: Headers, ownOrigins: readonly string[], bearer = false): boolean {
  if (SAFE_METHODS.has(method.toUpperCase())) return false;
  const origin = headers.get('origin');
  if (origin !== null) return bearer && origin === 'null' ? false : !ownOrigins.includes(origin);
  if (bearer) return false;
  const site = headers.get('sec-fetch-site');
  if (site === 'cross-site' || site === 'same-site') return true;
  if (site === 'same-origin') return false;
  return FORM_LIKE.test(headers.get('content-type') ?? '') && headers.has('cookie');
}

/** `Authorization: Bearer <token>` → the token, else null. */
export function bearerToken(header: string | null): string | null {
  const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return m ? m[1]! : null;
}

/** Only same-site paths are followed after sign-in ("//evil.example" and "/\\evil" are not paths). */
export function safeNext(next: string | null | undefined): string | null {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || next.length > 500) return null;
  return /[\u0000-\u001f]/.test(next) ? null : next;
}

export function requireProducer(user: CurrentUser | null | undefined): CurrentUser & { producerId: number } {
  if (!user) throw new AppError('UNAUTHORIZED', 'auth.required', 'Please sign in.');
  if (user.role !== 'producer' || user.producerId === null) throw new AppError('FORBIDDEN', 'auth.producers_only', 'This is for producer accounts.');
  return user as CurrentUser & { producerId: number };
}

export function requireAdmin(user: CurrentUser | null | undefined): CurrentUser {
  if (!user) throw new AppError('UNAUTHORIZED', 'auth.required', 'Please sign in.');
  if (user.role !== 'admin') throw new AppError('FORBIDDEN', 'auth.office_only', 'This is for the OCOP office.');
  return user;
}

export const SESSION_COOKIE = 'ocop_session';

/** Cookie options: HttpOnly, SameSite=Lax, Secure whenever the site is reached over https. */
export function sessionCookieOptions(secure: boolean, expires: Date) {
  return { httpOnly: true, sameSite: 'lax' as const, secure, path: '/', expires };
}
