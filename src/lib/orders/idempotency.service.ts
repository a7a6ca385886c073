import crypto from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DbOrTx } from '../db/index.ts';
import { AppError } from '../errors/index.ts';
import type { Translator } from '../i18n/index.ts';
import { selectKey } from './idempotency.repository.ts';
import { invalid, type OrderInput } from './orders.schemas.ts';
import type { OrderView } from './orders.types.ts';

/**
 * `Idempotency-Key` on POST /api/orders (in the spirit of the IETF httpapi draft): a client that
 * retries after a timeout gets the order it already placed, not a second one. The key is claimed
 * in the order's transaction (idempotency.repository.ts), the first 201 body is kept and answered
 * again for 24 hours; the same key with another body is a 422, a replay arriving while the first
 * request is still starting its payment waits for it (409 after WAIT_MS).
 */
export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;
const WAIT_MS = 30_000;
/** Longer than any payment start (Stripe: 20 s timeout, 2 retries): an answer not saved by then never will be. */
const STALE_MS = 90_000;
const KEY = /^[\x21-\x7e]{1,255}$/;

export interface IdempotencyClaim {
  key: string;
  /** SHA-256 of the validated input: spacing, key order or phone formatting do not make another body. */
  hash: string;
}

/** The header, checked (400 on the `Idempotency-Key` field), or null when absent. */
export function parseIdempotencyKey(header: string | null, t: Translator): string | null {
  if (header === null) return null;
  if (!KEY.test(header)) throw invalid(t, { 'Idempotency-Key': t('orders.field.idempotencyKey') });
  return header;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function idempotencyClaim(key: string, input: OrderInput): IdempotencyClaim {
  return { key, hash: crypto.createHash('sha256').update(canonical(input)).digest('hex') };
}

export const keyReused = (t: Translator) => new AppError('UNPROCESSABLE', 'orders.idempotency_key_reused', t('orders.error.idempotencyReused'));

/**
 * The answer already given for this key, waiting while the first request finishes; null when the
 * key is free (never used, expired, or its first request placed nothing). If the first request
 * never saved its answer (its process died after the commit), the order as it is now is answered.
 */
export async function replayFor(db: DbOrTx, claim: IdempotencyClaim, t: Translator, current: (publicId: string) => Promise<OrderView | null>, waitMs = WAIT_MS): Promise<OrderView | null> {
  const deadline = Date.now() + waitMs;
  for (let delay = 20; ; delay = Math.min(delay * 2, 250)) {
    const row = await selectKey(db, claim.key);
    if (!row) return null;
    if (row.requestHash !== claim.hash) throw keyReused(t);
    if (row.response) return row.response;
    if (row.publicId && Date.now() - row.createdAt.getTime() > STALE_MS) return current(row.publicId);
    if (Date.now() > deadline) throw new AppError('CONFLICT', 'orders.idempotency_in_progress', t('orders.error.idempotencyInProgress'), { details: { retryAfter: 2 } });
    await sleep(delay);
  }
}
