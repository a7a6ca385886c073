import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/index.ts';
import type { SoldPlace } from './stamps.table.ts';

/** All stamp SQL. Runs and stamps belong to a lot of a product of one producer. */
export interface IssueTarget {
  product_id: number;
  product_slug: string;
  name_vi: string;
  name_en: string;
  gtin: string | null;
  producer_id: number;
  lot_id: number | null;
  lot_code: string | null;
  lot_status: 'draft' | 'released' | 'recalled' | null;
}

/** The product and its lot (`lotCode`, or its newest released lot). */
export async function selectIssueTarget(db: DbOrTx, productSlug: string, lotCode?: string): Promise<IssueTarget | null> {
  const rows = (await db.execute(sql`
    select p.id as product_id, p.slug as product_slug, p.name_vi, p.name_en, p.gtin, p.producer_id,
      l.id as lot_id, l.code as lot_code, l.status as lot_status
    from products p
    left join lateral (
      select id, code, status from lots
      where product_id = p.id and ${lotCode === undefined ? sql`status = 'released'` : sql`code = ${lotCode}`}
      order by produced_on desc, id desc limit 1
    ) l on true
    where p.slug = ${productSlug}`)) as unknown as IssueTarget[];
  return rows[0] ?? null;
}

export async function insertRun(db: DbOrTx, run: { lotId: number; productId: number; count: number; note?: string | null; createdBy?: number | null }): Promise<{ id: number; created_at: Date }> {
  const rows = (await db.execute(sql`
    insert into stamp_runs (lot_id, product_id, count, note, created_by)
    values (${run.lotId}, ${run.productId}, ${run.count}, ${run.note ?? null}, ${run.createdBy ?? null})
    returning id, created_at`)) as unknown as Array<{ id: number; created_at: Date }>;
  return rows[0]!;
}

/** Many stamps in one statement (rows travel as one JSON parameter). */
export async function insertStamps(db: DbOrTx, runId: number, lotId: number, status: 'issued' | 'active', rows: Array<{ code: string; pinHash: string | null }>): Promise<void> {
  await db.execute(sql`
    insert into stamps (code, run_id, lot_id, status, pin_hash)
    select x.code, ${runId}, ${lotId}, ${status}, x.pin_hash
    from jsonb_to_recordset(${JSON.stringify(rows.map((r) => ({ code: r.code, pin_hash: r.pinHash })))}::jsonb) as x(code text, pin_hash text)`);
}

export interface RunRow {
  id: number;
  lot_id: number;
  product_id: number;
  producer_id: number;
  count: number;
  voided_at: Date | null;
}

export async function selectRun(db: DbOrTx, runId: number): Promise<RunRow | null> {
  const rows = (await db.execute(sql`
    select r.id, r.lot_id, r.product_id, p.producer_id, r.count, r.voided_at
    from stamp_runs r join products p on p.id = r.product_id where r.id = ${runId}`)) as unknown as RunRow[];
  return rows[0] ?? null;
}

export async function voidRunRows(db: DbOrTx, runId: number, reason: string): Promise<number> {
  await db.execute(sql`update stamp_runs set voided_at = now(), void_reason = ${reason} where id = ${runId} and voided_at is null`);
  const rows = (await db.execute(sql`
    update stamps set status = 'voided', voided_at = now()
    where run_id = ${runId} and status <> 'voided' returning id`)) as unknown as unknown[];
  return rows.length;
}

export interface StampRow {
  id: number;
  code: string;
  run_id: number;
  lot_id: number;
  status: 'issued' | 'active' | 'sold' | 'verified' | 'voided';
  producer_id: number;
  pin_hash: string | null;
  pin_used_at: Date | null;
  pin_attempts: number;
  sold_at: Date | null;
}

export async function selectStampsByCode(db: DbOrTx, codes: string[], lock = false): Promise<StampRow[]> {
  if (codes.length === 0) return [];
  return (await db.execute(sql`
    select s.id, s.code, s.run_id, s.lot_id, s.status, p.producer_id, s.pin_hash, s.pin_used_at, s.pin_attempts, s.sold_at
    from stamps s join lots l on l.id = s.lot_id join products p on p.id = l.product_id
    where s.code in (select jsonb_array_elements_text(${JSON.stringify(codes)}::jsonb))
    order by s.id ${lock ? sql`for update of s` : sql``}`)) as unknown as StampRow[];
}

export async function voidStampRows(db: DbOrTx, ids: number[]): Promise<number> {
  const rows = (await db.execute(sql`
    update stamps set status = 'voided', voided_at = now()
    where id in (select (jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))::bigint) and status <> 'voided'
    returning id`)) as unknown as unknown[];
  return rows.length;
}

/** active → sold (issued stamps of a lot not yet released cannot be sold). */
export async function markSoldRows(db: DbOrTx, ids: number[], at: Date, place: SoldPlace | null = null): Promise<number> {
  const rows = (await db.execute(sql`
    update stamps set status = 'sold', sold_at = ${at.toISOString()}::timestamptz, sold_place = ${place ? JSON.stringify(place) : null}::jsonb
    where id in (select (jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))::bigint) and status = 'active'
    returning id`)) as unknown as unknown[];
  return rows.length;
}

/** Stamps of a lot become active when the lot is released. */
export async function activateLotRows(db: DbOrTx, lotId: number): Promise<number> {
  const rows = (await db.execute(sql`
    update stamps set status = 'active' where lot_id = ${lotId} and status = 'issued' returning id`)) as unknown as unknown[];
  return rows.length;
}

export async function recordPinAttempt(db: DbOrTx, id: number, success: boolean): Promise<void> {
  await db.execute(success
    ? sql`update stamps set pin_attempts = pin_attempts + 1, pin_used_at = now(), status = 'verified' where id = ${id}`
    : sql`update stamps set pin_attempts = pin_attempts + 1 where id = ${id}`);
}

/** A run with its product, lot and what became of its stamps (counts per status, scans). */
export interface RunSummaryRow {
  id: number;
  lot_id: number;
  lot_code: string;
  lot_status: string;
  product_slug: string;
  product_name_vi: string;
  product_name_en: string;
  producer_id: number;
  count: number;
  note: string | null;
  created_at: Date;
  voided_at: Date | null;
  void_reason: string | null;
  issued: number;
  active: number;
  sold: number;
  verified: number;
  voided: number;
  scanned: number;
  scans: number;
  last_scanned_at: Date | null;
  /** Stars of the product's active OCOP certificate (3★ and up), printed with the OCOP mark. */
  cert_stars: number | null;
}

const RUN_SUMMARY = sql`r.id, r.lot_id, l.code as lot_code, l.status as lot_status, p.slug as product_slug,
  p.name_vi as product_name_vi, p.name_en as product_name_en, p.producer_id, r.count, r.note, r.created_at, r.voided_at, r.void_reason,
  coalesce(s.issued, 0) as issued, coalesce(s.active, 0) as active, coalesce(s.sold, 0) as sold, coalesce(s.verified, 0) as verified,
  coalesce(s.voided, 0) as voided, coalesce(s.scanned, 0) as scanned, coalesce(s.scans, 0) as scans, s.last_scanned_at,
  (select c.stars from certificates c where c.product_id = p.id and c.status = 'active' and c.stars >= 3
    order by c.issued_on desc, c.id desc limit 1) as cert_stars`;

const RUN_STAMP_COUNTS = sql`left join lateral (
    select count(*) filter (where status = 'issued')::int as issued, count(*) filter (where status = 'active')::int as active,
      count(*) filter (where status = 'sold')::int as sold, count(*) filter (where status = 'verified')::int as verified,
      count(*) filter (where status = 'voided')::int as voided, count(*) filter (where scan_count > 0)::int as scanned,
      coalesce(sum(scan_count), 0)::int as scans, max(last_scanned_at) as last_scanned_at
    from stamps where run_id = r.id) s on true`;

/** Runs of one producer's products, newest first; optionally of one lot. */
export async function selectRunSummaries(db: DbOrTx, producerId: number, opts: { lotId?: number; runId?: number; limit?: number } = {}): Promise<RunSummaryRow[]> {
  return (await db.execute(sql`
    select ${RUN_SUMMARY}
    from stamp_runs r join lots l on l.id = r.lot_id join products p on p.id = r.product_id
    ${RUN_STAMP_COUNTS}
    where p.producer_id = ${producerId}
      ${opts.lotId !== undefined ? sql`and r.lot_id = ${opts.lotId}` : sql``}
      ${opts.runId !== undefined ? sql`and r.id = ${opts.runId}` : sql``}
    order by r.created_at desc, r.id desc limit ${opts.limit ?? 200}`)) as unknown as RunSummaryRow[];
}

export interface RunStampRow {
  code: string;
  status: StampRow['status'];
  scan_count: number;
  scan_days: number;
  first_scanned_at: Date | null;
  last_scanned_at: Date | null;
  voided_at: Date | null;
}

/** The stamps of a run in print order (the order they were issued in). */
export async function selectRunStamps(db: DbOrTx, runId: number): Promise<RunStampRow[]> {
  return (await db.execute(sql`
    select code, status, scan_count, scan_days, first_scanned_at, last_scanned_at, voided_at
    from stamps where run_id = ${runId} order by id`)) as unknown as RunStampRow[];
}

/** Stamps of a lot that are still in use (not voided): the lot's stamp budget counts these. */
export async function countLiveLotStamps(db: DbOrTx, lotId: number): Promise<number> {
  const rows = (await db.execute(sql`select count(*)::int as n from stamps where lot_id = ${lotId} and status <> 'voided'`)) as unknown as Array<{ n: number }>;
  return Number(rows[0]?.n ?? 0);
}

/**
 * A stamp a newcomer can open to see a genuine verdict (the start-up tour): active, never scanned,
 * on a released lot of a published product whose producer is not suspended.
 */
export async function selectSampleStampCode(db: DbOrTx): Promise<string | null> {
  const rows = (await db.execute(sql`
    select s.code from stamps s join stamp_runs r on r.id = s.run_id join lots l on l.id = s.lot_id
      join products p on p.id = l.product_id join producers pr on pr.id = p.producer_id
    where s.status = 'active' and r.voided_at is null and l.status = 'released' and p.status = 'published'
      and pr.status <> 'suspended' and s.scan_count = 0
    order by s.id limit 1`)) as unknown as Array<{ code: string }>;
  return rows[0]?.code ?? null;
}
