import crypto from 'node:crypto';
import { config } from '../config/index.ts';
import { db as database, type DbOrTx } from '../db/index.ts';
import { AppError } from '../errors/index.ts';
import { hit, type RateLimit } from '../ratelimit/index.ts';
import { generateStampCode, normalizeStampCode, verifyStampCode } from './stamp-code.ts';
import { stampSecret } from './stamp-secret.ts';
import * as repo from './stamps.repository.ts';
import type { SoldPlace } from './stamps.table.ts';

/**
 * Stamp runs and the stamp life cycle: issued → active (its lot is released) → sold → verified
 * (the first owner confirmed the scratch-off PIN); voided at any point. Functions that change
 * stamps take `producerId` when a producer (not the office or a CLI) acts: they refuse stamps of
 * another producer's products.
 */
export const MAX_RUN = 100_000;
const INSERT_BATCH = 2_000;

export interface IssueInput {
  productSlug: string;
  lotCode?: string;
  count: number;
  /** Give every stamp a scratch-off PIN (8 digits, stored hashed). */
  pins?: boolean;
  /** Set when a producer issues from the dashboard: the product must be theirs. */
  producerId?: number | null;
  createdBy?: number | null;
  note?: string | null;
  /** Origin for the stamps' URLs when PUBLIC_BASE_URL is not set (e.g. the request's). */
  origin?: string;
}

export interface IssuedRun {
  runId: number;
  product: { slug: string; name: { vi: string; en: string }; gtin: string | null };
  lot: { id: number; code: string; status: string };
  stamps: Array<{ code: string; url: string; pin?: string }>;
}

/** The public origin printed on stamps and links: PUBLIC_BASE_URL, else the request's origin, else this server. */
export function publicOrigin(requestOrigin?: string): string {
  const cfg = config();
  return (cfg.PUBLIC_BASE_URL ?? requestOrigin ?? `http://localhost:${cfg.PORT}`).replace(/\/+$/, '');
}

/**
 * Whether stamps issued with this origin would print a QR code that buyers' phones cannot open
 * (localhost, a loopback or private address, or no PUBLIC_BASE_URL at all): the CLI and the
 * dashboard both warn before printing.
 */
export function stampOriginUnreachable(origin: string = publicOrigin()): boolean {
  let host: string;
  try {
    host = new URL(origin).hostname;
  } catch {
    return true;
  }
  return !config().PUBLIC_BASE_URL || /^(localhost|127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|\[::1\]|0\.0\.0\.0)/.test(host) || host.endsWith('.local');
}

export function stampUrl(code: string, origin = publicOrigin()): string {
  return `${origin}/t/${code}`;
}

/** HMAC of the PIN keyed by STAMP_SECRET: 8 digits are few, so the key (not the hash) keeps them safe at rest. */
export function hashPin(code: string, pin: string): string {
  return crypto.createHmac('sha256', stampSecret()).update(`ocop-pin:${code}:${pin}`).digest('base64url');
}

function newPin(): string {
  return String(crypto.randomInt(0, 100_000_000)).padStart(8, '0');
}

export async function issueStampRun(input: IssueInput, onProgress?: (done: number, total: number) => void, db?: DbOrTx): Promise<IssuedRun> {
  if (!Number.isInteger(input.count) || input.count < 1 || input.count > MAX_RUN) {
    throw new AppError('INVALID_DATA', 'stamps.count', `count must be a whole number from 1 to ${MAX_RUN}`, { fields: { count: 'between 1 and 100000' } });
  }
  const conn = db ?? (await database());
  const target = await repo.selectIssueTarget(conn, input.productSlug, input.lotCode);
  if (!target || (input.producerId != null && target.producer_id !== input.producerId)) {
    throw new AppError('NOT_FOUND', 'stamps.product_not_found', `No product "${input.productSlug}"`, { fields: { product: 'unknown product' } });
  }
  if (target.lot_id === null || target.lot_code === null) {
    throw new AppError('NOT_FOUND', 'stamps.lot_not_found', input.lotCode ? `No lot "${input.lotCode}" of ${input.productSlug}` : `${input.productSlug} has no released lot: record one first`, { fields: { lot: 'unknown lot' } });
  }
  if (target.lot_status === 'recalled') {
    throw new AppError('CONFLICT', 'stamps.lot_recalled', `Lot ${target.lot_code} is recalled: no new stamps`);
  }
  const secret = stampSecret();
  const origin = publicOrigin(input.origin);
  const stamps = Array.from({ length: input.count }, () => {
    const code = generateStampCode(secret);
    return { code, url: stampUrl(code, origin), ...(input.pins ? { pin: newPin() } : {}) };
  });
  const status = target.lot_status === 'released' ? 'active' : 'issued';
  const run = await conn.transaction(async (tx) => {
    const created = await repo.insertRun(tx, { lotId: target.lot_id!, productId: target.product_id, count: input.count, note: input.note, createdBy: input.createdBy });
    for (let i = 0; i < stamps.length; i += INSERT_BATCH) {
      const batch = stamps.slice(i, i + INSERT_BATCH);
      await repo.insertStamps(tx, created.id, target.lot_id!, status, batch.map((s) => ({ code: s.code, pinHash: s.pin ? hashPin(s.code, s.pin) : null })));
      onProgress?.(i + batch.length, stamps.length);
    }
    return created;
  });
  return {
    runId: run.id,
    product: { slug: target.product_slug, name: { vi: target.name_vi, en: target.name_en }, gtin: target.gtin },
    lot: { id: target.lot_id, code: target.lot_code, status: target.lot_status ?? 'released' },
    stamps,
  };
}

function requireReason(reason: string): string {
  const r = reason.trim();
  if (r.length < 3 || r.length > 500) throw new AppError('INVALID_DATA', 'stamps.void_reason', 'Say why (3 to 500 characters)', { fields: { reason: 'required' } });
  return r;
}

/** Voids a whole run: every stamp in it then shows "voided". */
export async function voidStampRun(input: { runId: number; reason: string; producerId?: number | null; lotId?: number }, db?: DbOrTx): Promise<{ voided: number }> {
  const reason = requireReason(input.reason);
  const conn = db ?? (await database());
  return conn.transaction(async (tx) => {
    const run = await repo.selectRun(tx, input.runId);
    if (!run || (input.producerId != null && run.producer_id !== input.producerId) || (input.lotId !== undefined && run.lot_id !== input.lotId)) throw new AppError('NOT_FOUND', 'stamps.run_not_found', 'No such stamp run');
    return { voided: await repo.voidRunRows(tx, run.id, reason) };
  });
}

/**
 * Voids single stamps (lost, damaged, misprinted). Unknown codes are refused, nothing is changed.
 * `lotId` narrows it to the stamps of one lot (the dashboard's lot page).
 */
export async function voidStamps(input: { codes: string[]; reason: string; producerId?: number | null; lotId?: number }, db?: DbOrTx): Promise<{ voided: number }> {
  requireReason(input.reason);
  const codes = normalizeAll(input.codes);
  const conn = db ?? (await database());
  return conn.transaction(async (tx) => {
    const rows = await repo.selectStampsByCode(tx, codes, true);
    const owned = rows.filter((r) => (input.producerId == null || r.producer_id === input.producerId) && (input.lotId === undefined || r.lot_id === input.lotId));
    if (owned.length !== codes.length) throw new AppError('NOT_FOUND', 'stamps.not_found', 'Some codes are not stamps of yours', { details: { missing: codes.filter((c) => !owned.some((r) => r.code === c)) } });
    return { voided: await repo.voidStampRows(tx, owned.map((r) => r.id)) };
  });
}

/**
 * active → sold: an order on this site, or the producer at its own counter. Returns the stamps
 * changed with their lots, so the caller can record the retail_selling event (trace area).
 */
export async function markStampsSold(tx: DbOrTx, input: { codes: string[]; producerId?: number | null; at?: Date; place?: SoldPlace | null }): Promise<Array<{ code: string; lotId: number }>> {
  const codes = normalizeAll(input.codes);
  const rows = await repo.selectStampsByCode(tx, codes, true);
  const mine = rows.filter((r) => input.producerId == null || r.producer_id === input.producerId);
  if (mine.length !== codes.length) throw new AppError('NOT_FOUND', 'stamps.not_found', 'Some codes are not stamps of yours');
  const notSellable = mine.filter((r) => r.status !== 'active');
  if (notSellable.length) throw new AppError('CONFLICT', 'stamps.not_sellable', 'Only active stamps can be sold', { details: { codes: notSellable.map((r) => ({ code: r.code, status: r.status })) } });
  await repo.markSoldRows(tx, mine.map((r) => r.id), input.at ?? new Date(), input.place ?? null);
  return mine.map((r) => ({ code: r.code, lotId: r.lot_id }));
}

/** When a lot is released its issued stamps become active. */
export async function activateLotStamps(tx: DbOrTx, lotId: number): Promise<number> {
  return repo.activateLotRows(tx, lotId);
}

function normalizeAll(codes: string[]): string[] {
  const out = new Set<string>();
  for (const c of codes) {
    const n = normalizeStampCode(c);
    if (!n || !verifyStampCode(n, stampSecret())) throw new AppError('INVALID_DATA', 'stamps.bad_code', `Not a stamp code: ${c.slice(0, 40)}`, { fields: { codes: 'contains an invalid code' } });
    out.add(n);
  }
  if (out.size === 0) throw new AppError('INVALID_DATA', 'stamps.no_codes', 'Give at least one code', { fields: { codes: 'required' } });
  return [...out];
}

/** PIN attempts: 5 per stamp ever, and 20 an hour from one network (a phone guessing many stamps). */
export const PIN_LIMITS = {
  perStamp: 5,
  perNetwork: { limit: 20, windowMs: 3_600_000 } satisfies RateLimit,
};

export type PinOutcome = 'confirmed' | 'wrong' | 'already_used' | 'no_pin' | 'limited' | 'unknown' | 'voided';

/**
 * The buyer scratches the PIN and types it: a match marks the stamp verified (first owner
 * confirmed), once. Wrong PINs count against the stamp and the client's network.
 */
export async function confirmStampPin(input: { code: string; pin: string; network: string | null }, db?: DbOrTx): Promise<{ outcome: PinOutcome; attemptsLeft?: number; retryAfter?: number; usedAt?: Date }> {
  const code = normalizeStampCode(input.code);
  if (!code || !verifyStampCode(code, stampSecret())) return { outcome: 'unknown' };
  const pin = input.pin.replace(/\s+/g, '');
  const conn = db ?? (await database());
  const limit = await hit(conn, `pin:net:${input.network ?? 'unknown'}`, PIN_LIMITS.perNetwork);
  if (!limit.allowed) return { outcome: 'limited', retryAfter: limit.retryAfter };
  return conn.transaction(async (tx) => {
    const [stamp] = await repo.selectStampsByCode(tx, [code], true);
    if (!stamp) return { outcome: 'unknown' as const };
    if (stamp.status === 'voided') return { outcome: 'voided' as const };
    if (!stamp.pin_hash) return { outcome: 'no_pin' as const };
    if (stamp.pin_used_at) return { outcome: 'already_used' as const, usedAt: new Date(stamp.pin_used_at) };
    if (stamp.pin_attempts >= PIN_LIMITS.perStamp) return { outcome: 'limited' as const, attemptsLeft: 0 };
    const ok = /^\d{8}$/.test(pin) && crypto.timingSafeEqual(Buffer.from(hashPin(code, pin)), Buffer.from(stamp.pin_hash));
    await repo.recordPinAttempt(tx, stamp.id, ok);
    if (ok) return { outcome: 'confirmed' as const };
    return { outcome: 'wrong' as const, attemptsLeft: PIN_LIMITS.perStamp - stamp.pin_attempts - 1 };
  });
}

/** A stamp that shows a genuine verdict, for the start-up tour (null when there is none yet). */
export async function sampleStampCode(db?: DbOrTx): Promise<string | null> {
  return repo.selectSampleStampCode(db ?? (await database()));
}
