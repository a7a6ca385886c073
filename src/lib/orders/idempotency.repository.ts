import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/index.ts';
import type { OrderView } from './orders.types.ts';

/** All SQL on order_idempotency_keys. */
export interface IdempotencyRow {
  requestHash: string;
  publicId: string | null;
  response: OrderView | null;
  createdAt: Date;
}

/**
 * Claims `key` in the caller's transaction; false when a live claim exists. A concurrent claim of
 * the same key waits on the unique index until the first transaction ends: if it committed, this
 * one loses; if it rolled back (no order placed), this one wins. An expired key is reclaimed.
 */
export async function claimKey(tx: DbOrTx, key: string, requestHash: string, ttlMs: number): Promise<boolean> {
  const rows = (await tx.execute(sql`insert into order_idempotency_keys (key, request_hash, expires_at)
    values (${key}, ${requestHash}, now() + make_interval(secs => ${ttlMs / 1000}))
    on conflict (key) do update set request_hash = excluded.request_hash, order_id = null, response = null,
      created_at = now(), expires_at = excluded.expires_at
    where order_idempotency_keys.expires_at <= now()
    returning key`)) as unknown as unknown[];
  return rows.length > 0;
}

export async function attachOrder(tx: DbOrTx, key: string, orderId: number): Promise<void> {
  await tx.execute(sql`update order_idempotency_keys set order_id = ${orderId} where key = ${key}`);
}

export async function saveResponse(tx: DbOrTx, key: string, response: OrderView): Promise<void> {
  await tx.execute(sql`update order_idempotency_keys set response = ${JSON.stringify(response)} where key = ${key}`);
}

/** The live claim of `key`, if any, with its order's public id once placed. */
export async function selectKey(tx: DbOrTx, key: string): Promise<IdempotencyRow | null> {
  const rows = (await tx.execute(sql`select k.request_hash as "requestHash", o.public_id as "publicId", k.response, k.created_at as "createdAt"
    from order_idempotency_keys k left join orders o on o.id = k.order_id
    where k.key = ${key} and k.expires_at > now()`)) as unknown as Array<{ requestHash: string; publicId: string | null; response: string | null; createdAt: Date | string }>;
  const r = rows[0];
  if (!r) return null;
  const response = r.response === null ? null : (JSON.parse(r.response) as OrderView);
  return { requestHash: r.requestHash, publicId: r.publicId, response, createdAt: new Date(r.createdAt) };
}

/** A claim whose order could not be started (the customer is told to try again): the key is free again. */
export async function deleteKey(tx: DbOrTx, key: string): Promise<void> {
  await tx.execute(sql`delete from order_idempotency_keys where key = ${key}`);
}

export async function deleteExpiredKeys(tx: DbOrTx): Promise<number> {
  const rows = (await tx.execute(sql`delete from order_idempotency_keys where expires_at <= now() returning 1`)) as unknown as unknown[];
  return rows.length;
}
