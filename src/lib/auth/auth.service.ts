import crypto from 'node:crypto';
import { db as getDb, type DbOrTx } from '../db/index.ts';
import { AppError } from '../errors/index.ts';
import { recordAudit } from '../audit/index.ts';
import { hashPassword, verifyPassword } from './password.ts';
import { hit, peek, purgeExpired, reset, type RateLimit } from '../ratelimit/index.ts';
import * as repo from './auth.repository.ts';
import { networkPrefix } from '../http/index.ts';
import type { ApiTokenView, CurrentUser } from './auth.types.ts';

/** A session lasts 14 days from sign-in (absolute, not sliding): a stolen cookie dies on its own. */
export const SESSION_TTL_MS = 14 * 24 * 3600_000;
/**
 * Password guessing is throttled without letting anyone lock the owner out (issue 12, item 4), in
 * the manner of "smart lockout": wrong passwords are counted per account AND client network, so
 * failures from one network never block another; an account-wide count of failures from networks
 * the account has never signed in from slows a distributed guesser down, yet a network the owner
 * has signed in from before stays open. Client addresses are only ever kept as hashes.
 */
/** Wrong passwords per account from one client network before that network waits out the window. */
export const ACCOUNT_ATTEMPTS = 5;
/** Wrong passwords per account from all unfamiliar networks together before they wait. */
export const ACCOUNT_WIDE_ATTEMPTS = 20;
/** Sign-in attempts per client address, any account (slows password spraying). */
export const CLIENT_ATTEMPTS = 30;
export const LOGIN_WINDOW_MS = 15 * 60_000;
/** How long a network where the account signed in stays familiar. */
export const FAMILIAR_NETWORK_MS = 90 * 24 * 3600_000;
const PER_CLIENT: RateLimit = { limit: CLIENT_ATTEMPTS, windowMs: LOGIN_WINDOW_MS };
const PER_ACCOUNT_NETWORK: RateLimit = { limit: ACCOUNT_ATTEMPTS, windowMs: LOGIN_WINDOW_MS };
const PER_ACCOUNT: RateLimit = { limit: ACCOUNT_WIDE_ATTEMPTS, windowMs: LOGIN_WINDOW_MS };
const FAMILIAR: RateLimit = { limit: Number.MAX_SAFE_INTEGER, windowMs: FAMILIAR_NETWORK_MS };

const sha256 = (value: string) => crypto.createHash('sha256').update(value).digest('hex');
const short = (value: string) => sha256(value).slice(0, 32);
/** Never keep a client's address: its hash is enough to count attempts. */
const clientKey = (client: string) => `login:client:${short(client)}`;
const networkOf = (client: string) => networkPrefix(client) ?? client;
const accountNetworkKey = (email: string, client: string) => `login:account-network:${short(`${email} ${networkOf(client)}`)}`;
const accountKey = (email: string) => `login:account:${email}`;
const familiarKey = (email: string, client: string) => `login:familiar:${short(`${email} ${networkOf(client)}`)}`;

// Compared against when the e-mail is unknown, so the answer takes as long as for a real account.
let dummyHash: Promise<string> | undefined;

function toCurrent(row: repo.UserRow, via: CurrentUser['via'], sessionId: string | null): CurrentUser {
  return {
    id: Number(row.id), email: row.email, name: row.name, role: row.role,
    producerId: row.producer_id === null ? null : Number(row.producer_id),
    producerSlug: row.producer_slug, producerName: row.producer_name, via, sessionId,
  };
}

function rateLimited(retryAfter: number): AppError {
  return new AppError('RATE_LIMITED', 'auth.rate_limited', `Too many sign-in attempts. Try again in ${retryAfter} seconds.`, { details: { retryAfter } });
}

export interface LoginResult {
  /** The cookie value; only its SHA-256 is stored. */
  token: string;
  expiresAt: Date;
  user: CurrentUser;
}

/**
 * Checks an e-mail and password and opens a new session (a new token every time: the session id
 * rotates at sign-in, and the one the browser presented, if any, is closed).
 */
export async function login(
  input: { email: string; password: string },
  ctx: { client: string; previousToken?: string | null; userAgent?: string | null },
): Promise<LoginResult> {
  const d = await getDb();
  const email = input.email.trim().toLowerCase();
  // Failed attempts only: an office or a cooperative behind one address signs many people in.
  const perClient = await peek(d, clientKey(ctx.client), PER_CLIENT);
  if (!perClient.allowed) throw rateLimited(perClient.retryAfter);
  const perNetwork = await peek(d, accountNetworkKey(email, ctx.client), PER_ACCOUNT_NETWORK);
  if (!perNetwork.allowed) throw rateLimited(perNetwork.retryAfter);
  const familiar = (await peek(d, familiarKey(email, ctx.client), FAMILIAR)).remaining < FAMILIAR.limit;
  if (!familiar) {
    const perAccount = await peek(d, accountKey(email), PER_ACCOUNT);
    if (!perAccount.allowed) throw rateLimited(perAccount.retryAfter);
  }

  const user = await repo.selectUserByEmail(d, email);
  dummyHash ??= hashPassword(crypto.randomBytes(16).toString('hex'));
  const valid = await verifyPassword(input.password, user?.password_hash ?? (await dummyHash));
  if (!user || !valid) {
    await hit(d, clientKey(ctx.client), PER_CLIENT);
    const after = await hit(d, accountNetworkKey(email, ctx.client), PER_ACCOUNT_NETWORK);
    if (!familiar) await hit(d, accountKey(email), PER_ACCOUNT);
    if (!after.allowed) throw rateLimited(after.retryAfter);
    throw new AppError('UNAUTHORIZED', 'auth.invalid_credentials', 'The e-mail or password is wrong.');
  }
  await reset(d, accountNetworkKey(email, ctx.client));
  await hit(d, familiarKey(email, ctx.client), FAMILIAR);
  // Said only to whoever knows the password: a disabled account or a suspended producer may not sign in.
  if (user.disabled) throw new AppError('FORBIDDEN', 'auth.account_disabled', 'This account is disabled. Contact the OCOP office.');
  if (user.producer_status === 'suspended') throw new AppError('FORBIDDEN', 'auth.producer_suspended', 'This producer is suspended by the OCOP office; its accounts cannot sign in.');

  const token = crypto.randomBytes(32).toString('base64url');
  const id = sha256(token);
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  await d.transaction(async (tx) => {
    if (ctx.previousToken) await repo.deleteSession(tx, sha256(ctx.previousToken));
    await repo.insertSession(tx, { id, userId: Number(user.id), expiresAt, client: ctx.userAgent?.slice(0, 200) ?? null });
    await repo.updateLastLogin(tx, Number(user.id));
  });
  // Housekeeping on the indexed expiry columns: dead sessions and old counters do not pile up.
  await repo.deleteExpiredSessions(d);
  await purgeExpired(d);
  return { token, expiresAt, user: toCurrent(user, 'session', id) };
}

export async function logout(token: string | null | undefined): Promise<void> {
  if (!token) return;
  await repo.deleteSession(await getDb(), sha256(token));
}

/** The account behind a session cookie, or null (unknown, expired, disabled). */
export async function userFromSession(token: string | null | undefined): Promise<CurrentUser | null> {
  if (!token || token.length > 200) return null;
  const id = sha256(token);
  const row = await repo.selectUserBySession(await getDb(), id);
  return row ? toCurrent(row, 'session', id) : null;
}

const TOKEN_PREFIX = 'ocop_';

/** The producer account behind an `Authorization: Bearer` API token, or null. */
export async function userFromApiToken(token: string): Promise<CurrentUser | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
  const row = await repo.selectUserByTokenHash(await getDb(), sha256(token));
  return row && row.role === 'producer' ? toCurrent(row, 'token', null) : null;
}

/**
 * Changes the password after checking the current one; closes every other session and gives this
 * browser a fresh one (the returned login result).
 */
export async function changePassword(
  user: CurrentUser, input: { current: string; next: string }, ctx: { client: string; userAgent?: string | null },
): Promise<LoginResult> {
  const d = await getDb();
  const row = await repo.selectUserById(d, user.id);
  if (!row) throw new AppError('UNAUTHORIZED', 'auth.signed_out', 'Please sign in again.');
  const attempt = await hit(d, `password:${user.id}`, PER_ACCOUNT_NETWORK);
  if (!attempt.allowed) throw rateLimited(attempt.retryAfter);
  if (!(await verifyPassword(input.current, row.password_hash))) {
    throw new AppError('INVALID_DATA', 'auth.wrong_password', 'The current password is wrong.', { fields: { current: 'wrong' } });
  }
  const hash = await hashPassword(input.next);
  const token = crypto.randomBytes(32).toString('base64url');
  const id = sha256(token);
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  await d.transaction(async (tx) => {
    await repo.updatePasswordHash(tx, user.id, hash);
    await repo.deleteUserSessions(tx, user.id);
    await repo.insertSession(tx, { id, userId: user.id, expiresAt, client: ctx.userAgent?.slice(0, 200) ?? null });
    await recordAudit(tx, user, 'account.password_changed', { type: 'user', id: user.id }, null, null);
  });
  await reset(d, `password:${user.id}`);
  return { token, expiresAt, user: { ...user, sessionId: id } };
}

function toTokenView(r: repo.TokenRow): ApiTokenView {
  const iso = (v: string | null) => (v ? new Date(v).toISOString() : null);
  return { id: Number(r.id), name: r.name, prefix: r.prefix, createdAt: iso(r.created_at)!, lastUsedAt: iso(r.last_used_at), revokedAt: iso(r.revoked_at) };
}

/** A new API token for a producer's own tools: shown once, stored as its SHA-256. */
export async function createApiToken(user: CurrentUser, name: string): Promise<{ token: string; view: ApiTokenView }> {
  if (user.role !== 'producer') throw new AppError('FORBIDDEN', 'auth.producers_only', 'Only producer accounts have API tokens.');
  const token = TOKEN_PREFIX + crypto.randomBytes(30).toString('base64url');
  const d = await getDb();
  const row = await d.transaction(async (tx) => {
    const r = await repo.insertApiToken(tx, { userId: user.id, name, hash: sha256(token), prefix: token.slice(0, 12) });
    await recordAudit(tx, user, 'api_token.created', { type: 'api_token', id: r.id }, null, { name, prefix: r.prefix });
    return r;
  });
  return { token, view: toTokenView(row) };
}

export async function listApiTokens(user: CurrentUser, d?: DbOrTx): Promise<ApiTokenView[]> {
  return (await repo.selectApiTokens(d ?? (await getDb()), user.id)).map(toTokenView);
}

export async function revokeApiToken(user: CurrentUser, tokenId: number): Promise<void> {
  const d = await getDb();
  await d.transaction(async (tx) => {
    if (!(await repo.revokeApiToken(tx, user.id, tokenId))) throw new AppError('NOT_FOUND', 'auth.token_not_found', 'No such API token.');
    await recordAudit(tx, user, 'api_token.revoked', { type: 'api_token', id: tokenId }, null, null);
  });
}
