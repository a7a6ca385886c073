import { db as database, type DbOrTx } from '../db/index.ts';
import { AppError } from '../errors/index.ts';
import { formatStampCode, normalizeStampCode, verifyStampCode } from './stamp-code.ts';
import { stampSecret } from './stamp-secret.ts';
import { renderPdf, renderSvgAsync } from './stamp-sheet.ts';
import { publicOrigin, stampUrl } from './stamps.service.ts';
import * as repo from './stamps.repository.ts';
import * as scans from './scans.repository.ts';

/**
 * Reading runs back for the producer that owns them: summaries, the stamps of a run, its print
 * sheet again (codes are stored; PINs are not, so a sheet printed later carries no PIN), and
 * the scan report. Every function takes `producerId`: another producer's run is simply not found.
 */
export interface RunSummary {
  id: number;
  lot: { id: number; code: string; status: string };
  product: { slug: string; name: { vi: string; en: string }; stars: number | null };
  count: number;
  note: string | null;
  createdAt: string;
  voidedAt: string | null;
  voidReason: string | null;
  /** Stamps of the run by status; live = not voided. */
  counts: { issued: number; active: number; sold: number; verified: number; voided: number; live: number };
  scanned: number;
  scans: number;
  lastScannedAt: string | null;
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

function summary(r: repo.RunSummaryRow): RunSummary {
  const n = (v: unknown) => Number(v ?? 0);
  const counts = { issued: n(r.issued), active: n(r.active), sold: n(r.sold), verified: n(r.verified), voided: n(r.voided) };
  return {
    id: Number(r.id),
    lot: { id: Number(r.lot_id), code: r.lot_code, status: r.lot_status },
    product: { slug: r.product_slug, name: { vi: r.product_name_vi, en: r.product_name_en }, stars: r.cert_stars === null ? null : Number(r.cert_stars) },
    count: n(r.count), note: r.note, createdAt: iso(r.created_at)!, voidedAt: iso(r.voided_at), voidReason: r.void_reason,
    counts: { ...counts, live: counts.issued + counts.active + counts.sold + counts.verified },
    scanned: n(r.scanned), scans: n(r.scans), lastScannedAt: iso(r.last_scanned_at),
  };
}

/** Ids are PostgreSQL integers: anything else cannot name a run (and must not reach the database). */
const isId = (n: number) => Number.isInteger(n) && n > 0 && n <= 2_147_483_647;
const runNotFound = () => new AppError('NOT_FOUND', 'stamps.run_not_found', 'No such stamp run among yours.');

export async function listRuns(producerId: number, opts: { lotId?: number } = {}): Promise<RunSummary[]> {
  return (await repo.selectRunSummaries(await database(), producerId, opts)).map(summary);
}

export interface RunStamp {
  code: string;
  url: string;
  status: repo.RunStampRow['status'];
  scans: number;
  scanDays: number;
  firstScannedAt: string | null;
  lastScannedAt: string | null;
  voidedAt: string | null;
}

export async function getRun(producerId: number, runId: number, origin?: string): Promise<RunSummary & { stamps: RunStamp[] }> {
  const db = await database();
  const [row] = isId(runId) ? await repo.selectRunSummaries(db, producerId, { runId }) : [];
  if (!row) throw runNotFound();
  const base = publicOrigin(origin);
  const stamps = (await repo.selectRunStamps(db, row.id)).map((s) => ({
    code: s.code, url: stampUrl(s.code, base), status: s.status, scans: Number(s.scan_count), scanDays: Number(s.scan_days),
    firstScannedAt: iso(s.first_scanned_at), lastScannedAt: iso(s.last_scanned_at), voidedAt: iso(s.voided_at),
  }));
  return { ...summary(row), stamps };
}

export type SheetFormat = 'pdf' | 'svg';

/**
 * The print sheet of a run, drawn again from the stored codes: every stamp not voided, in issue
 * order. A voided run has nothing left to print (409).
 */
export async function runSheet(producerId: number, runId: number, format: SheetFormat, opts: { origin?: string; tagline: string; locale: 'vi' | 'en' }): Promise<{ body: Buffer; contentType: string; filename: string; labels: number; pages: number }> {
  const run = await getRun(producerId, runId, opts.origin);
  if (run.voidedAt) throw new AppError('CONFLICT', 'stamps.run_voided', 'This run is voided: its stamps must not be printed.');
  const labels = run.stamps.filter((c) => c.status !== 'voided').map((c) => ({ code: c.code, url: c.url }));
  if (labels.length === 0) throw new AppError('CONFLICT', 'stamps.run_empty', 'Every stamp of this run is voided.');
  const sheet = { productName: run.product.name[opts.locale], lotCode: run.lot.code, tagline: opts.tagline, stars: run.product.stars, lotLabel: opts.locale === 'en' ? 'Lot' : 'Lô', labels };
  const filename = `stamps-${run.product.slug}-${run.lot.code.replace(/[^\w.-]/g, '_')}-run${run.id}.${format}`;
  if (format === 'svg') {
    return { body: Buffer.from(await renderSvgAsync(sheet)), contentType: 'image/svg+xml; charset=utf-8', filename, labels: labels.length, pages: 1 };
  }
  const { pdf, pages } = await renderPdf(sheet);
  return { body: pdf, contentType: 'application/pdf', filename, labels: labels.length, pages };
}

export interface InspectedCode {
  input: string;
  code: string | null;
  display: string | null;
  /** ok: a stamp of this lot; invalid: not a well-formed stamp code; not_found: not one of this lot's. */
  state: 'ok' | 'invalid' | 'not_found';
  status: repo.StampRow['status'] | null;
  runId: number | null;
}

/** What a list of typed codes stands for (the confirmation step before voiding single stamps). */
export async function inspectCodes(producerId: number, lotId: number, inputs: string[]): Promise<InspectedCode[]> {
  const secret = stampSecret();
  const parsed = inputs.map((input) => {
    const code = normalizeStampCode(input);
    return { input, code: code && verifyStampCode(code, secret) ? code : null };
  });
  const valid = [...new Set(parsed.flatMap((p) => (p.code ? [p.code] : [])))];
  const rows = await repo.selectStampsByCode(await database(), valid);
  const mine = new Map(rows.filter((r) => r.producer_id === producerId && r.lot_id === lotId).map((r) => [r.code, r]));
  return parsed.map(({ input, code }) => {
    const row = code ? mine.get(code) : undefined;
    return {
      input, code, display: code ? formatStampCode(code) : null,
      state: !code ? 'invalid' : row ? 'ok' : 'not_found',
      status: row?.status ?? null, runId: row ? Number(row.run_id) : null,
    };
  });
}

/** Live (not voided) stamps of a lot: what a new run adds to. */
export async function liveLotStamps(lotId: number, db?: DbOrTx): Promise<number> {
  return repo.countLiveLotStamps(db ?? (await database()), lotId);
}

/** The clone-evidence thresholds of lib/trace verdict.ts (distinct client networks and days). */
export interface Thresholds {
  maxNetworks: number;
  maxDayNetworks: number;
  maxDays: number;
  minNetworksForDays: number;
}

/** Stamps scanned implausibly often, before release or after voiding (see scans.repository). */
export async function suspectStamps(producerId: number, t: Thresholds, limit = 100) {
  return scans.selectSuspectStamps(await database(), producerId, { ...t, limit });
}

/** The raw material of the scan report; the verdict thresholds come from the caller (trace). */
export async function scanReport(producerId: number, opts: Thresholds & { days: number; now?: Date; lotLimit?: number }) {
  const db = await database();
  const since = new Date((opts.now ?? new Date()).getTime() - opts.days * 86_400_000);
  const [suspects, lots, window] = await Promise.all([
    scans.selectSuspectStamps(db, producerId, { maxNetworks: opts.maxNetworks, maxDayNetworks: opts.maxDayNetworks, maxDays: opts.maxDays, minNetworksForDays: opts.minNetworksForDays, limit: 100 }),
    scans.selectLotScanStats(db, producerId),
    scans.selectScanWindow(db, producerId, since, 20),
  ]);
  const sum = (k: 'stamps' | 'live' | 'scanned' | 'scans') => lots.reduce((n, l) => n + Number(l[k]), 0);
  const totals = { stamps: sum('stamps'), live: sum('live'), scanned: sum('scanned'), scans: sum('scans'), recent: Number(window.recent) };
  return { since, suspects, totals, places: window.places, byDay: window.by_day, lots: lots.slice(0, opts.lotLimit ?? 50) };
}
