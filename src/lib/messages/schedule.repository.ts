import { sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/index.ts';

/** The scheduler's state (table schedule_state): one row per job. */
export interface ScheduleRow {
  name: string;
  nextRunAt: Date;
  lastRunAt: Date | null;
  lastFinishedAt: Date | null;
  runningUntil: Date | null;
  lastError: string | null;
  runs: number;
}

/** Creates the job's row, due at `firstRun`, unless it exists. */
export async function ensureJob(db: DbOrTx, name: string, firstRun: Date): Promise<void> {
  await db.execute(sql`insert into schedule_state (name, next_run_at) values (${name}, ${firstRun.toISOString()}) on conflict (name) do nothing`);
}

/**
 * Claims a due job for `leaseSeconds`, under a transaction-level advisory lock so that instances
 * ticking at the same moment queue up instead of racing: true for exactly one of them. A claim
 * whose holder died lapses with its lease, and the job is claimed again (jobs are idempotent).
 */
export async function claimJob(db: Db, name: string, leaseSeconds: number): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [lock] = (await tx.execute(sql`select pg_try_advisory_xact_lock(hashtext(${`cho-ocop.schedule.${name}`})) as ok`)) as unknown as Array<{ ok: boolean }>;
    if (!lock?.ok) return false;
    const rows = (await tx.execute(sql`update schedule_state
      set running_until = now() + make_interval(secs => ${leaseSeconds}), last_run_at = now(), runs = runs + 1
      where name = ${name} and next_run_at <= now() and (running_until is null or running_until < now())
      returning name`)) as unknown as unknown[];
    return rows.length > 0;
  });
}

export async function finishJob(db: DbOrTx, name: string, nextRunAt: Date, error: string | null): Promise<void> {
  await db.execute(sql`update schedule_state set running_until = null, last_finished_at = now(), last_error = ${error},
    next_run_at = ${nextRunAt.toISOString()} where name = ${name}`);
}

export async function selectSchedule(db: DbOrTx): Promise<ScheduleRow[]> {
  const rows = (await db.execute(sql`select name, next_run_at as "nextRunAt", last_run_at as "lastRunAt", last_finished_at as "lastFinishedAt",
    running_until as "runningUntil", last_error as "lastError", runs from schedule_state order by name`)) as unknown as Array<Record<string, unknown>>;
  const d = (v: unknown) => (v ? new Date(String(v)) : null);
  return rows.map((r) => ({ name: String(r.name), nextRunAt: new Date(String(r.nextRunAt)), lastRunAt: d(r.lastRunAt), lastFinishedAt: d(r.lastFinishedAt), runningUntil: d(r.runningUntil), lastError: (r.lastError as string | null) ?? null, runs: Number(r.runs) }));
}
