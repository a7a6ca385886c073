import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/index.ts';

/**
 * One statement per hit: a fixed window per key. A new or expired window starts at 1; otherwise
 * the counter goes up. Concurrent hits on one key serialise on its row, so none is lost.
 */
export async function incrementWindow(db: DbOrTx, key: string, windowMs: number): Promise<{ count: number; resetAt: Date }> {
  const rows = (await db.execute(sql`
    insert into rate_limits (key, count, reset_at)
    values (${key}, 1, now() + make_interval(secs => ${windowMs / 1000}))
    on conflict (key) do update set
      count = case when rate_limits.reset_at <= now() then 1 else rate_limits.count + 1 end,
      reset_at = case when rate_limits.reset_at <= now() then excluded.reset_at else rate_limits.reset_at end
    returning count, reset_at`)) as unknown as Array<{ count: number; reset_at: Date | string }>;
  const row = rows[0]!;
  return { count: row.count, resetAt: new Date(row.reset_at) };
}

export async function peekWindow(db: DbOrTx, key: string): Promise<{ count: number; resetAt: Date } | null> {
  const rows = (await db.execute(sql`select count, reset_at from rate_limits where key = ${key} and reset_at > now()`)) as unknown as Array<{ count: number; reset_at: Date | string }>;
  return rows[0] ? { count: rows[0].count, resetAt: new Date(rows[0].reset_at) } : null;
}

export async function deleteWindow(db: DbOrTx, key: string): Promise<void> {
  await db.execute(sql`delete from rate_limits where key = ${key}`);
}

export async function deleteExpired(db: DbOrTx): Promise<number> {
  const rows = (await db.execute(sql`delete from rate_limits where reset_at <= now() returning 1`)) as unknown as unknown[];
  return rows.length;
}
