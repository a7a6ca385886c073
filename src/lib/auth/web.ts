import { config } from '../config/index.ts';
import { AppError, type FieldErrors } from '../errors/index.ts';
import { login, logout, changePassword, type LoginResult } from './auth.service.ts';
import { ChangePasswordSchema, LoginSchema } from './auth.schemas.ts';
import { SESSION_COOKIE, sessionCookieOptions } from './guard.ts';
import type { CurrentUser } from './auth.types.ts';

/**
 * The web side of sign-in, shared by `POST /api/auth/login` and the /login form: parse, check,
 * set or clear the session cookie. Takes Astro's cookie jar and request details structurally, so
 * this module has no Astro import.
 */
export interface CookieJar {
  get(name: string): { value: string } | undefined;
  set(name: string, value: string, options: Record<string, unknown>): void;
  delete(name: string, options?: Record<string, unknown>): void;
}

export interface WebContext {
  cookies: CookieJar;
  url: URL;
  request: Request;
  /** The client's address (`locals.clientAddress`, see lib/http/client-address). */
  clientAddress: () => string;
}

function secure(url: URL): boolean {
  return url.protocol === 'https:' || (config().PUBLIC_BASE_URL ?? '').startsWith('https:');
}

function client(ctx: WebContext): string {
  try {
    return ctx.clientAddress() || 'unknown';
  } catch {
    return 'unknown';
  }
}

function fieldsOf(error: { issues: Array<{ path: PropertyKey[]; input?: unknown; code: string }> }): FieldErrors {
  const fields: FieldErrors = {};
  for (const i of error.issues) fields[i.path.join('.') || '_'] ??= i.input === undefined || i.input === '' ? 'required' : 'invalid';
  return fields;
}

function setSession(ctx: WebContext, result: LoginResult): void {
  ctx.cookies.set(SESSION_COOKIE, result.token, sessionCookieOptions(secure(ctx.url), result.expiresAt));
}

export async function signIn(raw: unknown, ctx: WebContext): Promise<LoginResult> {
  const parsed = LoginSchema.safeParse(raw);
  if (!parsed.success) throw new AppError('INVALID_DATA', 'auth.invalid', 'Enter your e-mail and password.', { fields: fieldsOf(parsed.error) });
  const result = await login(parsed.data, {
    client: client(ctx), previousToken: ctx.cookies.get(SESSION_COOKIE)?.value ?? null, userAgent: ctx.request.headers.get('user-agent'),
  });
  setSession(ctx, result);
  return result;
}

export async function signOut(ctx: WebContext): Promise<void> {
  await logout(ctx.cookies.get(SESSION_COOKIE)?.value);
  ctx.cookies.delete(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: secure(ctx.url) });
}

export async function updatePassword(user: CurrentUser, raw: unknown, ctx: WebContext): Promise<void> {
  const parsed = ChangePasswordSchema.safeParse(raw);
  if (!parsed.success) {
    const fields = fieldsOf(parsed.error);
    if (parsed.error.issues.some((i) => i.path[0] === 'next' && i.code === 'too_small')) fields.next = 'too_short';
    if (parsed.error.issues.some((i) => i.path[0] === 'confirm' && i.message === 'mismatch')) fields.confirm = 'mismatch';
    throw new AppError('INVALID_DATA', 'auth.invalid', 'Please check the form.', { fields });
  }
  setSession(ctx, await changePassword(user, parsed.data, { client: client(ctx), userAgent: ctx.request.headers.get('user-agent') }));
}

/** Where a signed-in account lands by default. */
export function homeOf(user: CurrentUser): string {
  return user.role === 'admin' ? '/admin' : user.role === 'pos' ? '/pos' : '/dashboard';
}

/** The parts of an Astro context sign-in needs (picked, not spread: spreading touches every getter). */
export function webContext(ctx: { cookies: CookieJar; url: URL; request: Request; locals: { clientAddress: string | null } }): WebContext {
  return { cookies: ctx.cookies, url: ctx.url, request: ctx.request, clientAddress: () => ctx.locals.clientAddress ?? 'unknown' };
}
