import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/index.ts';
import type { EvidenceDocument } from '../catalog/lots.table.ts';
import type { InspectionInput } from './monitoring.schemas.ts';

/** All SQL of monitoring after certification: recalls, inspections, reports from the public. */
const list = (ids: number[]) => sql.join(ids.map((i) => sql`${i}`), sql`, `);
const all = async <T>(db: DbOrTx, q: ReturnType<typeof sql>) => (await db.execute(q)) as unknown as T[];

// ---- recalls -----------------------------------------------------------------------------------

export interface LotForRecall { id: number; code: string; status: string; recalled_at: Date | null; product_id: number; producer_id: number }

/** Locks the lots (only the producer's own when `producerId` is given), in id order. */
export function lockLots(db: DbOrTx, lotIds: number[], producerId: number | null): Promise<LotForRecall[]> {
  return all<LotForRecall>(db, sql`select l.id, l.code, l.status, l.recalled_at, l.product_id, p.producer_id
    from lots l join products p on p.id = l.product_id
    where l.id in (${list(lotIds)}) ${producerId === null ? sql`` : sql`and p.producer_id = ${producerId}`}
    order by l.id for update of l`);
}

export async function markRecalled(db: DbOrTx, lotIds: number[], v: { reason: string; by: string; inspectionId: number | null }): Promise<Array<{ id: number; recalled_at: Date }>> {
  const rows = await all<{ id: number; recalled_at: Date }>(db, sql`update lots set status = 'recalled', recalled_at = now(), recall_reason = ${v.reason},
      recalled_by = ${v.by}, recall_inspection_id = ${v.inspectionId}
    where id in (${list(lotIds)}) and recalled_at is null returning id, recalled_at`);
  return rows.map((r) => ({ id: Number(r.id), recalled_at: new Date(r.recalled_at) }));
}

/** The recall in the lot's own timeline (EPCIS business step "recalling", disposition "recalled"). */
export async function insertRecallEvent(db: DbOrTx, lotId: number, userId: number | null, reason: string, actor: string | null): Promise<void> {
  await db.execute(sql`insert into trace_events (lot_id, event_type, action, biz_step, disposition, occurred_at, time_zone_offset, actor, description_vi, description_en, recorded_by)
    values (${lotId}, 'ObjectEvent', 'OBSERVE', 'recalling', 'recalled', now(), '+07:00', ${actor}, ${reason}, ${reason}, ${userId})`);
}

export interface LotChoice { id: number; code: string; produced_on: string; quantity: number; recalled_at: Date | null; recall_reason: string | null; product_slug: string; product_name_vi: string; product_name_en: string }

/** Lots an inspection's decision may recall: of its product, else of its producer (newest first). */
export function selectLotsFor(db: DbOrTx, producerId: number, productId: number | null): Promise<LotChoice[]> {
  return all<LotChoice>(db, sql`select l.id, l.code, l.produced_on::text as produced_on, l.quantity, l.recalled_at, l.recall_reason,
      p.slug as product_slug, p.name_vi as product_name_vi, p.name_en as product_name_en
    from lots l join products p on p.id = l.product_id
    where p.producer_id = ${producerId} ${productId === null ? sql`` : sql`and p.id = ${productId}`}
    order by l.produced_on desc, l.id desc limit 200`);
}

/** A product's lots by its slug (the office's recall form). */
export function selectLotsOfProduct(db: DbOrTx, slug: string): Promise<LotChoice[]> {
  return all<LotChoice>(db, sql`select l.id, l.code, l.produced_on::text as produced_on, l.quantity, l.recalled_at, l.recall_reason,
      p.slug as product_slug, p.name_vi as product_name_vi, p.name_en as product_name_en
    from lots l join products p on p.id = l.product_id where p.slug = ${slug}
    order by l.produced_on desc, l.id desc limit 200`);
}

/** Lots recalled by the office or producers, newest first (the office's list). */
export function selectRecalledLots(db: DbOrTx, limit: number): Promise<Array<LotChoice & { recalled_by: string | null; producer_name: string }>> {
  return all(db, sql`select l.id, l.code, l.produced_on::text as produced_on, l.quantity, l.recalled_at, l.recall_reason, l.recalled_by,
      p.slug as product_slug, p.name_vi as product_name_vi, p.name_en as product_name_en, pr.name as producer_name
    from lots l join products p on p.id = l.product_id join producers pr on pr.id = p.producer_id
    where l.recalled_at is not null order by l.recalled_at desc, l.id desc limit ${limit}`);
}

// ---- inspections -------------------------------------------------------------------------------

export async function resolveTarget(db: DbOrTx, producerSlug: string, productSlug: string | undefined, lotId: number | undefined) {
  const rows = await all<{ producer_id: number; product_id: number | null; product_ok: boolean; lot_ok: boolean }>(db, sql`
    select pr.id as producer_id, p.id as product_id, (${productSlug ?? null}::text is null or p.id is not null) as product_ok,
      (${lotId ?? null}::int is null or exists (select 1 from lots l join products lp on lp.id = l.product_id
        where l.id = ${lotId ?? null} and lp.producer_id = pr.id and (p.id is null or lp.id = p.id))) as lot_ok
    from producers pr left join products p on p.producer_id = pr.id and p.slug = ${productSlug ?? null}
    where pr.slug = ${producerSlug}`);
  const r = rows[0];
  return r ? { producerId: Number(r.producer_id), productId: r.product_id === null ? null : Number(r.product_id), productOk: r.product_ok, lotOk: r.lot_ok } : null;
}

export async function insertInspection(db: DbOrTx, v: InspectionInput & { producerId: number; productId: number | null; documents: EvidenceDocument[]; by: string }): Promise<number> {
  const rows = await all<{ id: number }>(db, sql`insert into inspections (producer_id, product_id, lot_id, inspected_on, inspectors, findings, documents, outcome, created_by)
    values (${v.producerId}, ${v.productId}, ${v.lotId ?? null}, ${v.inspectedOn}, ${sql`array[${sql.join(v.inspectors.map((n) => sql`${n}`), sql`, `)}]::text[]`},
      ${v.findings}, ${JSON.stringify(v.documents)}::jsonb, ${v.outcome}, ${v.by}) returning id`);
  return Number(rows[0]!.id);
}

export interface InspectionRow {
  id: number; producer_id: number; producer_slug: string; producer_name: string; product_id: number | null; product_slug: string | null;
  product_name_vi: string | null; product_name_en: string | null; lot_id: number | null; lot_code: string | null; inspected_on: string;
  inspectors: string[]; findings: string; documents: EvidenceDocument[]; outcome: 'compliant' | 'warning' | 'violation';
  decision: 'warning' | 'lot_recall' | 'revocation' | null; decision_note: string | null; decided_at: Date | null; decided_by: string | null;
  created_by: string | null; created_at: Date;
}

const INSPECTION = sql`select i.id, i.producer_id, pr.slug as producer_slug, pr.name as producer_name, i.product_id, p.slug as product_slug,
    p.name_vi as product_name_vi, p.name_en as product_name_en, i.lot_id, l.code as lot_code, i.inspected_on::text as inspected_on,
    i.inspectors, i.findings, i.documents, i.outcome, i.decision, i.decision_note, i.decided_at, i.decided_by, i.created_by, i.created_at
  from inspections i join producers pr on pr.id = i.producer_id left join products p on p.id = i.product_id left join lots l on l.id = i.lot_id`;

export function selectInspections(db: DbOrTx, f: { open?: boolean; producerId?: number; limit: number }): Promise<InspectionRow[]> {
  return all<InspectionRow>(db, sql`${INSPECTION} where true
    ${f.open ? sql`and i.outcome = 'violation' and i.decision is null` : sql``}
    ${f.producerId ? sql`and i.producer_id = ${f.producerId}` : sql``}
    order by i.inspected_on desc, i.id desc limit ${f.limit}`);
}

export async function selectInspection(db: DbOrTx, id: number, lock = false): Promise<InspectionRow | null> {
  const rows = await all<InspectionRow>(db, sql`${INSPECTION} where i.id = ${id} ${lock ? sql`for update of i` : sql``}`);
  return rows[0] ?? null;
}

export async function setDecision(db: DbOrTx, id: number, v: { decision: string; note: string; by: string }): Promise<boolean> {
  const rows = await all(db, sql`update inspections set decision = ${v.decision}, decision_note = ${v.note}, decided_at = now(), decided_by = ${v.by}
    where id = ${id} and outcome = 'violation' and decision is null returning id`);
  return rows.length > 0;
}

export async function activeCertificateOf(db: DbOrTx, productId: number): Promise<number | null> {
  const rows = await all<{ id: number }>(db, sql`select id from certificates where product_id = ${productId} and status = 'active' order by issued_on desc, id desc limit 1`);
  return rows[0] ? Number(rows[0].id) : null;
}

// ---- reports from the public -------------------------------------------------------------------

export interface ReportTargetRow { product_id: number; producer_id: number; lot_id: number | null; slug: string; name_vi: string; name_en: string }

export async function productForReport(db: DbOrTx, slug: string): Promise<ReportTargetRow | null> {
  const rows = await all<ReportTargetRow>(db, sql`select id as product_id, producer_id, null::int as lot_id, slug, name_vi, name_en from products where slug = ${slug}`);
  return rows[0] ?? null;
}

export async function stampForReport(db: DbOrTx, code: string): Promise<ReportTargetRow | null> {
  const rows = await all<ReportTargetRow>(db, sql`select p.id as product_id, p.producer_id, l.id as lot_id, p.slug, p.name_vi, p.name_en
    from stamps s join lots l on l.id = s.lot_id join products p on p.id = l.product_id where s.code = ${code}`);
  return rows[0] ?? null;
}

export async function insertReport(db: DbOrTx, v: { productId: number; lotId: number | null; stampCode: string | null; category: string; body: string; photoUrl: string | null; contact: string | null; locale: string; network: string | null }): Promise<number> {
  const rows = await all<{ id: number }>(db, sql`insert into public_reports (product_id, lot_id, stamp_code, category, body, photo_url, contact, locale, client_network)
    values (${v.productId}, ${v.lotId}, ${v.stampCode}, ${v.category}, ${v.body}, ${v.photoUrl}, ${v.contact}, ${v.locale}, ${v.network}) returning id`);
  return Number(rows[0]!.id);
}

export interface ReportRow {
  id: number; product_id: number; product_slug: string; product_name_vi: string; product_name_en: string; producer_id: number; producer_name: string;
  lot_id: number | null; lot_code: string | null; stamp_code: string | null; category: string; body: string; photo_url: string | null;
  contact: string | null; locale: string; status: string; office_note: string | null; created_at: Date; updated_at: Date;
}

/**
 * Reports, newest first. `withContact` is false for producers: the reporter's contact never
 * leaves the database for them (the column is not even selected).
 */
export function selectReports(db: DbOrTx, f: { status?: string; producerId?: number; withContact: boolean; limit: number; offset?: number }): Promise<ReportRow[]> {
  return all<ReportRow>(db, sql`select r.id, r.product_id, p.slug as product_slug, p.name_vi as product_name_vi, p.name_en as product_name_en,
      p.producer_id, pr.name as producer_name, r.lot_id, l.code as lot_code, r.stamp_code, r.category, r.body, r.photo_url,
      ${f.withContact ? sql`r.contact` : sql`null::text as contact`}, r.locale, r.status, r.office_note, r.created_at, r.updated_at
    from public_reports r join products p on p.id = r.product_id join producers pr on pr.id = p.producer_id left join lots l on l.id = r.lot_id
    where true ${f.status ? sql`and r.status = ${f.status}` : sql``} ${f.producerId ? sql`and p.producer_id = ${f.producerId}` : sql``}
    order by r.created_at desc, r.id desc limit ${f.limit} offset ${f.offset ?? 0}`);
}

export async function countReportsByStatus(db: DbOrTx): Promise<Record<string, number>> {
  const rows = await all<{ status: string; n: number }>(db, sql`select status, count(*)::int as n from public_reports group by status`);
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

export async function lockReport(db: DbOrTx, id: number): Promise<{ id: number; status: string; office_note: string | null } | null> {
  const rows = await all<{ id: number; status: string; office_note: string | null }>(db, sql`select id, status, office_note from public_reports where id = ${id} for update`);
  return rows[0] ?? null;
}

export async function updateReport(db: DbOrTx, id: number, status: string, note: string | null): Promise<void> {
  await db.execute(sql`update public_reports set status = ${status}, office_note = ${note}, updated_at = now() where id = ${id}`);
}

/** The stored photo of a report (its media URL), or null. */
export async function selectReportPhoto(db: DbOrTx, id: number): Promise<string | null> {
  const rows = await all<{ photo_url: string | null }>(db, sql`select photo_url from public_reports where id = ${id}`);
  return rows[0]?.photo_url ?? null;
}
