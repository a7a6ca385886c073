import { sql } from 'drizzle-orm';
import { db as getDb, type DbOrTx } from '../db/index.ts';
import { log } from '../log/index.ts';
import { outbox } from './outbox.table.ts';
import { startPoller, type Poller } from './poller.ts';

/**
 * The transactional outbox: a change and its announcement commit together (enqueue inside the
 * same transaction), and a worker delivers announcements afterwards with retries. Search
 * indexing, e-mail/SMS notices and expiry notices all go through here, so a slow or broken
 * consumer never blocks or fails the request that caused the message.
 */
export interface OutboxMessage<T = unknown> {
  id: number;
  topic: string;
  payload: T;
  attempts: number;
  createdAt: Date;
}

export type OutboxHandler = (messages: OutboxMessage[]) => Promise<void>;

/** Handlers are kept on globalThis: the built server and the start script load separate module copies. */
const KEY = Symbol.for('cho-ocop.outbox.handlers');
const registry = ((globalThis as Record<symbol, unknown>)[KEY] ??= new Map<string, OutboxHandler>()) as Map<string, OutboxHandler>;

export function registerOutboxHandler(topic: string, handler: OutboxHandler): void {
  registry.set(topic, handler);
}

/**
 * Queues a message in the caller's transaction. With a `dedupeKey` the message is queued at most
 * once ever (e.g. one expiry notice per certificate); returns false when it already existed.
 */
export async function enqueue(tx: DbOrTx, topic: string, payload: unknown, opts: { dedupeKey?: string; delayMs?: number } = {}): Promise<boolean> {
  const rows = await tx
    .insert(outbox)
    .values({
      topic,
      payload,
      dedupeKey: opts.dedupeKey ?? null,
      ...(opts.delayMs ? { availableAt: new Date(Date.now() + opts.delayMs) } : {}),
    })
    .onConflictDoNothing({ target: outbox.dedupeKey })
    .returning({ id: outbox.id });
  return rows.length > 0;
}

const BATCH = 200;
const MAX_ATTEMPTS = 12;
/** A claimed message is leased for this long; a worker that dies mid-delivery loses it to another. */
const LEASE = sql`interval '60 seconds'`;

/**
 * Delivers what is due and returns how many messages were handled. Rows are leased in a short
 * transaction (FOR UPDATE SKIP LOCKED, so several instances can run workers side by side) and
 * delivered outside it, so handlers are free to use the database. Handlers must be idempotent:
 * a message is delivered at least once.
 */
export async function drainOutbox(): Promise<number> {
  const topics = [...registry.keys()];
  if (topics.length === 0) return 0;
  const db = await getDb();
  let handled = 0;
  for (;;) {
    const rows = (await db.execute(sql`
      update outbox set available_at = now() + ${LEASE}, attempts = attempts + 1
      where id in (
        select id from outbox
        where processed_at is null and available_at <= now()
          and topic in (${sql.join(topics.map((t) => sql`${t}`), sql`, `)})
        order by id limit ${BATCH} for update skip locked)
      returning id, topic, payload, attempts, created_at`)) as unknown as Array<{ id: number; topic: string; payload: unknown; attempts: number; created_at: string }>;
    if (rows.length === 0) return handled;
    const byTopic = new Map<string, OutboxMessage[]>();
    for (const r of rows.sort((a, b) => Number(a.id) - Number(b.id))) {
      const list = byTopic.get(r.topic) ?? [];
      list.push({ id: Number(r.id), topic: r.topic, payload: r.payload, attempts: r.attempts, createdAt: new Date(r.created_at) });
      byTopic.set(r.topic, list);
    }
    for (const [topic, messages] of byTopic) {
      const idList = sql.join(messages.map((m) => sql`${m.id}`), sql`, `);
      try {
        await registry.get(topic)!(messages);
        await db.execute(sql`update outbox set processed_at = now(), last_error = null where id in (${idList})`);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        log.warn('outbox delivery failed', { topic, count: messages.length, error: message });
        // Exponential backoff: 1 s, 2 s, 4 s … capped at 10 minutes; give up after MAX_ATTEMPTS.
        await db.execute(sql`update outbox set last_error = ${message.slice(0, 1000)},
          available_at = now() + least(interval '10 minutes', interval '1 second' * power(2, attempts - 1)),
          processed_at = case when attempts >= ${MAX_ATTEMPTS} then now() else null end
          where id in (${idList})`);
      }
    }
    handled += rows.length;
    if (rows.length < BATCH) return handled;
  }
}

export type OutboxWorker = Poller;

/** Polls the outbox every `intervalMs` (default 250 ms: changes reach consumers well within 2 s). */
export function startOutboxWorker(intervalMs = 250): OutboxWorker {
  return startPoller('outbox worker', drainOutbox, { intervalMs: () => intervalMs, maxBackoffMs: 5000 });
}
