import { sql } from 'drizzle-orm';
import { db as getDb, type DbOrTx } from '../db/index.ts';

/**
 * Fixed-window counters in the `rate_limits` table, shared by every web instance. One atomic
 * upsert per hit: a window that has run out starts again at 1.
 */
export interface RateLimitResult {
  ok: boolean;
  /** Hits in the current window, this one included. */
  count: number;
  /** Seconds until the window resets (the wait time to report with a 429). */
  retryAfter: number;
}

export async function hit(key: string, limit: number, windowMs: number, db?: DbOrTx): Promise<RateLimitResult> {
  const rows = (await (db ?? (await getDb())).execute(sql`
    insert into rate_limits (key, count, reset_at)
    values (${key}, 1, now() + ${`${windowMs} milliseconds`}::interval)
    on conflict (key) do update set
      count = case when rate_limits.reset_at <= now() then 1 else rate_limits.count + 1 end,
      reset_at = case when rate_limits.reset_at <= now() then excluded.reset_at else rate_limits.reset_at end
    returning count, greatest(0, ceil(extract(epoch from (reset_at - now()))))::int as retry_after`)) as unknown as Array<{ count: number; retry_after: number }>;
  const row = rows[0]!;
  return { ok: row.count <= limit, count: row.count, retryAfter: Math.max(1, row.retry_after) };
}

/** The state of a counter without counting (e.g. "is this account locked?"). */
export async function peek(key: string, limit: number, db?: DbOrTx): Promise<RateLimitResult> {
  const rows = (await (db ?? (await getDb())).execute(sql`
    select count, greatest(0, ceil(extract(epoch from (reset_at - now()))))::int as retry_after
    from rate_limits where key = ${key} and reset_at > now()`)) as unknown as Array<{ count: number; retry_after: number }>;
  const row = rows[0];
  if (!row) return { ok: true, count: 0, retryAfter: 0 };
  return { ok: row.count < limit, count: row.count, retryAfter: Math.max(1, row.retry_after) };
}

export async function clear(key: string, db?: DbOrTx): Promise<void> {
  await (db ?? (await getDb())).execute(sql`delete from rate_limits where key = ${key}`);
}

/** Old windows are useless: drop them now and then. */
export async function purgeExpired(db?: DbOrTx): Promise<void> {
  await (db ?? (await getDb())).execute(sql`delete from rate_limits where reset_at < now() - interval '1 day'`);
}
