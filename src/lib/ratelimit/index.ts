import type { DbOrTx } from '../db/index.ts';
import { AppError } from '../errors/index.ts';
import { deleteExpired, deleteWindow, incrementWindow, peekWindow } from './ratelimit.repository.ts';

/**
 * Fixed-window rate limits kept in the database (table rate_limits), so they hold across
 * instances and restarts: PIN attempts per stamp and per network, sign-ins per account and client,
 * password changes, stamp runs, orders per network.
 *
 *   const r = await hit(db, `login:acct:${email}`, { limit: 5, windowMs: 15 * 60_000 });
 *   if (!r.allowed) throw rateLimited(r);
 */
export interface RateLimit {
  /** Hits allowed per window. */
  limit: number;
  windowMs: number;
}

export interface RateLimitResult {
  allowed: boolean;
  /** Hits left in this window after this one. */
  remaining: number;
  resetAt: Date;
  /** Seconds until the window resets (for Retry-After). */
  retryAfter: number;
}

function result(count: number, resetAt: Date, rule: RateLimit): RateLimitResult {
  return {
    allowed: count <= rule.limit,
    remaining: Math.max(0, rule.limit - count),
    resetAt,
    retryAfter: Math.max(1, Math.ceil((resetAt.getTime() - Date.now()) / 1000)),
  };
}

/** Counts one hit against `key` and says whether it is within the limit. */
export async function hit(db: DbOrTx, key: string, rule: RateLimit): Promise<RateLimitResult> {
  const { count, resetAt } = await incrementWindow(db, key, rule.windowMs);
  return result(count, resetAt, rule);
}

/** Hits several keys (e.g. per account and per client): allowed only when every one is. */
export async function hitAll(db: DbOrTx, rules: Array<{ key: string } & RateLimit>): Promise<RateLimitResult> {
  const results: RateLimitResult[] = [];
  for (const r of rules) results.push(await hit(db, r.key, r));
  const blocked = results.filter((r) => !r.allowed);
  if (blocked.length) return blocked.reduce((a, b) => (a.resetAt > b.resetAt ? a : b));
  return results.reduce((a, b) => (a.remaining <= b.remaining ? a : b));
}

/**
 * The state of `key` without counting a hit (e.g. "is this account locked?"): not allowed once
 * the window already holds `limit` hits, since the next one would exceed it.
 */
export async function peek(db: DbOrTx, key: string, rule: RateLimit): Promise<RateLimitResult> {
  const w = await peekWindow(db, key);
  if (!w) return { allowed: true, remaining: rule.limit, resetAt: new Date(Date.now() + rule.windowMs), retryAfter: 0 };
  return { ...result(w.count + 1, w.resetAt, rule), remaining: Math.max(0, rule.limit - w.count) };
}

/** Clears a key (e.g. after a successful login). */
export async function reset(db: DbOrTx, key: string): Promise<void> {
  await deleteWindow(db, key);
}

/** Housekeeping: drops expired windows. */
export async function purgeExpired(db: DbOrTx): Promise<number> {
  return deleteExpired(db);
}

export function rateLimited(r: RateLimitResult, code = 'ratelimit.exceeded'): AppError {
  return new AppError('RATE_LIMITED', code, 'Too many attempts. Please wait and try again.', { details: { retryAfter: r.retryAfter } });
}
