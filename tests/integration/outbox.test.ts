import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { drainOutbox, enqueue, registerOutboxHandler, type OutboxMessage } from '../../src/lib/outbox/index.ts';
import { target, useTestDatabase } from '../support/db.ts';

const database = useTestDatabase();

describe(`outbox (${target})`, () => {
  it('delivers messages queued in a committed transaction, in order, once', async () => {
    const seen: OutboxMessage[] = [];
    registerOutboxHandler('test.ok', async (m) => {
      seen.push(...m);
    });
    const { db } = database.get();
    await db.transaction(async (tx) => {
      await enqueue(tx, 'test.ok', { n: 1 });
      await enqueue(tx, 'test.ok', { n: 2 });
    });
    // The app's background worker may lease the messages first: wait for delivery, whoever does it.
    await drainOutbox();
    await expect.poll(() => seen.map((m) => (m.payload as { n: number }).n), { timeout: 5000 }).toEqual([1, 2]);
    await new Promise((r) => setTimeout(r, 600)); // two more worker passes: still delivered once
    expect(seen).toHaveLength(2);
  });

  it('drops messages of a rolled-back transaction', async () => {
    const seen: unknown[] = [];
    registerOutboxHandler('test.rollback', async (m) => {
      seen.push(...m);
    });
    const { db } = database.get();
    await expect(db.transaction(async (tx) => {
      await enqueue(tx, 'test.rollback', { n: 1 });
      throw new Error('abort');
    })).rejects.toThrow('abort');
    await drainOutbox();
    expect(seen).toEqual([]);
  });

  it('queues a message with a dedupe key at most once', async () => {
    const { db } = database.get();
    expect(await enqueue(db, 'test.once', {}, { dedupeKey: 'cert:1:expiry' })).toBe(true);
    expect(await enqueue(db, 'test.once', {}, { dedupeKey: 'cert:1:expiry' })).toBe(false);
    const [row] = (await db.execute(sql`select count(*)::int as n from outbox where dedupe_key = 'cert:1:expiry'`)) as unknown as [{ n: number }];
    expect(row.n).toBe(1);
  });

  it('retries a failing handler later instead of losing the message', async () => {
    let calls = 0;
    registerOutboxHandler('test.flaky', async () => {
      calls++;
      if (calls === 1) throw new Error('consumer down');
    });
    const { db } = database.get();
    await enqueue(db, 'test.flaky', {});
    await drainOutbox();
    await expect.poll(() => calls, { timeout: 5000 }).toBe(1);
    await expect.poll(async () => {
      const [pending] = (await db.execute(sql`select processed_at, attempts, last_error, available_at > now() as later from outbox where topic = 'test.flaky'`)) as unknown as [{ processed_at: unknown; attempts: number; last_error: string; later: boolean }];
      return pending;
    }, { timeout: 5000 }).toMatchObject({ processed_at: null, attempts: 1, last_error: 'consumer down', later: true });
    await db.execute(sql`update outbox set available_at = now() where topic = 'test.flaky'`);
    await drainOutbox();
    await expect.poll(() => calls, { timeout: 5000 }).toBe(2);
    await expect.poll(async () => {
      const [done] = (await db.execute(sql`select processed_at is not null as done from outbox where topic = 'test.flaky'`)) as unknown as [{ done: boolean }];
      return done.done;
    }, { timeout: 5000 }).toBe(true);
  });
});
