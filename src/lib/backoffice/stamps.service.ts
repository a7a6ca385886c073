import { z } from 'zod';
import { db as getDb } from '../db/index.ts';
import { AppError, isAppError } from '../errors/index.ts';
import { recordAudit } from '../audit/index.ts';
import { hit, rateLimited, type RateLimit } from '../ratelimit/index.ts';
import type { CurrentUser } from '../auth/index.ts';
import {
  formatStampCode, getRun, inspectCodes, issueStampRun, listRuns, liveLotStamps, runSheet, suspectStamps, scanReport,
  voidStampRun, voidStamps, type SheetFormat, type SuspectStampRow,
} from '../stamps/index.ts';
import { MAX_NETWORKS_PER_DAY, MAX_PLAUSIBLE_DAYS, MAX_PLAUSIBLE_NETWORKS, MIN_NETWORKS_FOR_DAYS, verdictFor } from '../trace/index.ts';
import * as lots from './lots.repository.ts';
import { fail, validate } from './validate.ts';

/**
 * A producer's stamps: issue a run for one of its lots, list runs, download print sheets, void a
 * run or single stamps, see where and how often they are scanned. Ownership is checked in every
 * query (another producer's lot or run is "not found", and nothing changes); every change is
 * audited in its transaction.
 */
type Producer = CurrentUser & { producerId: number };

/** One run from the dashboard or API: 143 A4 pages at most, printed in one go. */
export const MAX_STAMPS_PER_RUN = 5_000;
/** Spare stamps beyond the lot's quantity (misprints are voided, so they free their place). */
export const lotStampBudget = (quantity: number) => quantity + Math.max(20, Math.ceil(quantity * 0.1));
/** Runs a producer may issue per hour (a script gone wrong should not print a million stamps). */
export const ISSUE_LIMIT: RateLimit = { limit: 30, windowMs: 3_600_000 };
const THRESHOLDS = { maxNetworks: MAX_PLAUSIBLE_NETWORKS, maxDayNetworks: MAX_NETWORKS_PER_DAY, maxDays: MAX_PLAUSIBLE_DAYS, minNetworksForDays: MIN_NETWORKS_FOR_DAYS };

const reason = z.string().trim().min(3).max(500);
export const StampRunCreateSchema = z.object({
  lotId: z.number().int().positive().max(2_147_483_647).optional(),
  lot: z.union([z.number().int().positive().max(2_147_483_647), z.string().trim().min(1).max(20)]).optional(),
  product: z.string().trim().min(1).max(80).optional(),
  count: z.number().int().min(1).max(MAX_STAMPS_PER_RUN),
  format: z.enum(['json', 'pdf', 'svg']).default('json'),
  note: z.string().trim().max(200).optional(),
}).strict();
export const VoidRunSchema = z.object({ reason }).strict();
export const VoidStampsSchema = z.object({ codes: z.array(z.string().trim().min(1).max(64)).min(1).max(500), reason }).strict();

/** Form posts carry numbers as text. */
export function countFromForm(form: Record<string, unknown>): Record<string, unknown> {
  const out = { ...form };
  if (typeof out.count === 'string' && /^\s*\d{1,9}\s*$/.test(out.count)) out.count = Number(out.count);
  return out;
}

function parseIssue(raw: unknown) {
  try {
    const input = validate(StampRunCreateSchema, raw, 'stamps.invalid');
    if ((input.lotId === undefined) === (input.lot === undefined)) fail('stamps.invalid', { lot: 'required' });
    return input;
  } catch (error) {
    // "too_big" alone does not say which limit: name it.
    if (isAppError(error) && error.fields?.count === 'too_big') fail('stamps.invalid', { ...error.fields, count: 'max_run' });
    throw error;
  }
}

const lotNotFound = () => new AppError('NOT_FOUND', 'backoffice.lot_not_found', 'No such lot among yours.');

/** The lot a request names: by id, or by code (with the product's slug when two products share it). */
async function resolveLotId(user: Producer, input: { lotId?: number; lot?: number | string; product?: string }): Promise<number> {
  const ref = input.lotId ?? input.lot!;
  if (typeof ref === 'number') return ref;
  const matches = (await lots.selectOwnLots(await getDb(), user.producerId, input.product)).filter((l) => l.code === ref);
  if (matches.length === 0) throw lotNotFound();
  if (matches.length > 1) fail('stamps.invalid', { product: 'ambiguous' });
  return Number(matches[0]!.id);
}

export async function issueStampsForLot(user: Producer, raw: unknown, opts: { origin?: string } = {}) {
  const input = parseIssue(raw);
  const lotId = await resolveLotId(user, input);
  const d = await getDb();
  const issued = await d.transaction(async (tx) => {
    const lot = await lots.lockOwnLot(tx, user.producerId, lotId);
    if (!lot) throw lotNotFound();
    if (lot.status === 'recalled') throw new AppError('CONFLICT', 'stamps.lot_recalled', `Lot ${lot.code} is recalled: no new stamps.`);
    const left = lotStampBudget(Number(lot.quantity)) - (await liveLotStamps(lot.id, tx));
    if (input.count > left) {
      throw new AppError('INVALID_DATA', 'stamps.over_lot', `This lot of ${lot.quantity} has room for ${Math.max(0, left)} more stamps.`, {
        fields: { count: 'over_lot' }, details: { allowed: Math.max(0, left) },
      });
    }
    const limit = await hit(tx, `stamps:issue:${user.producerId}`, ISSUE_LIMIT);
    if (!limit.allowed) throw rateLimited(limit, 'stamps.rate_limited');
    const run = await issueStampRun({
      productSlug: lot.product_slug, lotCode: lot.code, count: input.count, producerId: user.producerId, createdBy: user.id,
      note: input.note || null, origin: opts.origin,
    }, undefined, tx);
    await recordAudit(tx, user, 'stamp_run.issued', { type: 'stamp_run', id: run.runId }, null, { lotId: lot.id, lotCode: lot.code, count: input.count, note: input.note ?? null });
    return run;
  });
  return { format: input.format as 'json' | SheetFormat, run: await getRun(user.producerId, issued.runId, opts.origin) };
}

/** Where a run's print sheets are downloaded (session cookie or Bearer token). */
export function sheetLinks(runId: number) {
  return { pdf: `/api/producer/stamp-runs/${runId}/sheet.pdf`, svg: `/api/producer/stamp-runs/${runId}/sheet.svg` };
}

export function lotStampRuns(user: Producer, lotId: number) {
  return listRuns(user.producerId, { lotId });
}

export function ownStampRuns(user: Producer, opts: { lotId?: number } = {}) {
  return listRuns(user.producerId, opts);
}

export function ownStampRun(user: Producer, runId: number, origin?: string) {
  return getRun(user.producerId, runId, origin);
}

export function ownRunSheet(user: Producer, runId: number, format: SheetFormat, opts: { origin?: string; tagline: string; locale: 'vi' | 'en' }) {
  return runSheet(user.producerId, runId, format, opts);
}

/** Voids a whole run (optionally only if it belongs to `lotId`, as on the lot page). */
export async function voidOwnRun(user: Producer, runId: number, raw: unknown, opts: { lotId?: number } = {}) {
  const input = validate(VoidRunSchema, raw, 'stamps.invalid');
  const run = await getRun(user.producerId, runId);
  if (opts.lotId !== undefined && run.lot.id !== opts.lotId) throw new AppError('NOT_FOUND', 'stamps.run_not_found', 'No such stamp run among yours.');
  if (run.voidedAt) throw new AppError('CONFLICT', 'stamps.run_already_voided', 'This run is already voided.');
  const d = await getDb();
  return d.transaction(async (tx) => {
    const result = await voidStampRun({ runId: run.id, reason: input.reason, producerId: user.producerId }, tx);
    await recordAudit(tx, user, 'stamp_run.voided', { type: 'stamp_run', id: run.id }, { counts: run.counts }, { reason: input.reason, voided: result.voided });
    return { runId: run.id, ...result };
  });
}

/** Voids single stamps (lost, damaged, misprinted): all of them or none. */
export async function voidOwnStamps(user: Producer, raw: unknown, opts: { lotId?: number } = {}) {
  const input = validate(VoidStampsSchema, raw, 'stamps.invalid');
  const d = await getDb();
  return d.transaction(async (tx) => {
    const result = await voidStamps({ codes: input.codes, reason: input.reason, producerId: user.producerId, lotId: opts.lotId }, tx);
    const entity = opts.lotId !== undefined ? { type: 'lot', id: opts.lotId } : { type: 'stamp', id: input.codes[0]! };
    await recordAudit(tx, user, 'stamps.voided', entity, null, { codes: input.codes, reason: input.reason, voided: result.voided });
    return result;
  });
}

/** The confirmation step before voiding single stamps: what each typed code is. */
export async function previewVoidStamps(user: Producer, lotId: number, raw: unknown) {
  const input = validate(VoidStampsSchema, raw, 'stamps.invalid');
  const codes = await inspectCodes(user.producerId, lotId, input.codes);
  return { reason: input.reason, codes, ready: codes.every((c) => c.state === 'ok' && c.status !== 'voided') };
}

export type StampWarningReason = 'many_scans' | 'not_released' | 'voided_scanned';

function warning(row: SuspectStampRow) {
  const { verdict, reason } = verdictFor({ status: row.status, runVoided: row.run_voided, scanDays: Number(row.scan_days), networks: Number(row.scan_networks), peakDayNetworks: Number(row.scan_peak_networks) });
  const why: StampWarningReason | null = verdict === 'voided' ? 'voided_scanned' : verdict === 'warning' ? reason : null;
  if (!why) return [];
  return [{
    code: row.code, display: formatStampCode(row.code), reason: why, status: row.status,
    scans: Number(row.scan_count), days: Number(row.scan_days), voidedScans: Number(row.voided_scans),
    firstScannedAt: row.first_scanned_at && new Date(row.first_scanned_at).toISOString(),
    lastScannedAt: row.last_scanned_at && new Date(row.last_scanned_at).toISOString(),
    lot: { id: Number(row.lot_id), code: row.lot_code },
    product: { slug: row.product_slug, name: { vi: row.product_name_vi, en: row.product_name_en } },
    places: (row.places ?? []).map((p) => ({ network: p.network, language: p.language, scans: Number(p.n) })),
  }];
}

/** The overview's stamp warnings: how many, and the worst few. */
export async function stampWarnings(user: Producer, top = 5) {
  const all = (await suspectStamps(user.producerId, THRESHOLDS)).flatMap(warning);
  return { count: all.length, top: all.slice(0, top), thresholds: THRESHOLDS };
}

/** /dashboard/stamps: warnings first, then where and how often the stamps are scanned. */
export async function stampScanReport(user: Producer, days = 90) {
  const r = await scanReport(user.producerId, { ...THRESHOLDS, days });
  return {
    days, thresholds: THRESHOLDS,
    warnings: r.suspects.flatMap(warning),
    totals: r.totals,
    places: r.places.map((p) => ({ network: p.network, language: p.language, scans: Number(p.scans), stamps: Number(p.stamps), lastAt: new Date(p.last_at).toISOString() })),
    byDay: r.byDay.map((d) => ({ day: d.day, scans: Number(d.scans) })),
    lots: r.lots.map((l) => ({
      id: Number(l.lot_id), code: l.lot_code, product: { slug: l.product_slug, name: { vi: l.product_name_vi, en: l.product_name_en } },
      stamps: Number(l.stamps), scanned: Number(l.scanned), scans: Number(l.scans), lastScannedAt: l.last_scanned_at && new Date(l.last_scanned_at).toISOString(),
    })),
  };
}
