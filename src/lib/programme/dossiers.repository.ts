import { sql } from 'drizzle-orm';
import type { Actor } from '../audit/index.ts';
import type { DbOrTx } from '../db/index.ts';
import type { CommuneAssessmentInput } from './programme.schemas.ts';
import type { DocumentKind, DossierStatus } from './programme.table.ts';

/** All dossier SQL: dossiers with their product, producer and round; documents, steps, commune assessments, rounds. */
const rows = async <T>(db: DbOrTx, q: ReturnType<typeof sql>) => (await db.execute(q)) as unknown as T[];

export interface DossierRow {
  id: number;
  producer_id: number;
  producer_slug: string;
  producer_name: string;
  producer_type: string;
  province_code: string;
  producer_commune: string | null;
  historical_address: string | null;
  product_id: number;
  product_slug: string;
  product_name_vi: string;
  product_name_en: string;
  kind: 'first' | 'renewal' | 'upgrade';
  subgroup_code: string;
  status: DossierStatus;
  self_a: number;
  self_b: number;
  self_c: number;
  note: string | null;
  office_comment: string | null;
  round_id: number | null;
  round_name: string | null;
  round_year: number | null;
  round_half: number | null;
  round_province: string | null;
  evaluation_id: number | null;
  certificate_id: number | null;
  certificate_number: string | null;
  document_kinds: string[];
  has_assessment: boolean;
  submitted_at: string;
  updated_at: string;
}

const DOSSIER = sql`select d.id, d.producer_id, pr.slug as producer_slug, pr.name as producer_name, pr.type as producer_type,
    pr.province_code, pr.commune as producer_commune, pr.historical_address,
    d.product_id, p.slug as product_slug, p.name_vi as product_name_vi, p.name_en as product_name_en,
    d.kind, d.subgroup_code, d.status, d.self_a::float8 as self_a, d.self_b::float8 as self_b, d.self_c::float8 as self_c,
    d.note, d.office_comment, d.round_id, r.name as round_name, r.year as round_year, r.half as round_half, r.province_code as round_province, d.evaluation_id, d.certificate_id, c.number as certificate_number,
    coalesce((select array_agg(distinct k.kind) from dossier_documents k where k.dossier_id = d.id), '{}') as document_kinds,
    exists (select 1 from commune_assessments a where a.dossier_id = d.id) as has_assessment,
    d.submitted_at, d.updated_at
  from dossiers d join producers pr on pr.id = d.producer_id join products p on p.id = d.product_id
  left join evaluation_rounds r on r.id = d.round_id left join certificates c on c.id = d.certificate_id`;

export async function selectDossiers(db: DbOrTx, f: { status?: DossierStatus; producerId?: number; limit: number; offset: number }): Promise<DossierRow[]> {
  return rows<DossierRow>(db, sql`${DOSSIER} where true
    ${f.status ? sql`and d.status = ${f.status}` : sql``}
    ${f.producerId !== undefined ? sql`and d.producer_id = ${f.producerId}` : sql``}
    order by ${f.producerId !== undefined ? sql`d.updated_at desc` : sql`d.submitted_at asc`}, d.id limit ${f.limit} offset ${f.offset}`);
}

export async function selectDossier(db: DbOrTx, id: number, lock = false): Promise<DossierRow | null> {
  if (lock) await db.execute(sql`select id from dossiers where id = ${id} for update`);
  return (await rows<DossierRow>(db, sql`${DOSSIER} where d.id = ${id}`))[0] ?? null;
}

export async function countByStatus(db: DbOrTx): Promise<Record<string, number>> {
  const r = await rows<{ status: string; n: number }>(db, sql`select status, count(*)::int as n from dossiers group by status`);
  return Object.fromEntries(r.map((x) => [x.status, Number(x.n)]));
}

export async function insertDossier(db: DbOrTx, v: {
  producerId: number; productId: number; kind: string; subgroupCode: string; selfA: number; selfB: number; selfC: number; note: string | null;
}): Promise<number> {
  const r = await rows<{ id: number }>(db, sql`insert into dossiers (producer_id, product_id, kind, subgroup_code, self_a, self_b, self_c, note)
    values (${v.producerId}, ${v.productId}, ${v.kind}, ${v.subgroupCode}, ${v.selfA}, ${v.selfB}, ${v.selfC}, ${v.note}) returning id`);
  return Number(r[0]!.id);
}

export async function updateDossier(db: DbOrTx, id: number, v: {
  status: DossierStatus; officeComment?: string | null; roundId?: number; evaluationId?: number; certificateId?: number;
  selfA?: number; selfB?: number; selfC?: number; note?: string | null; resubmitted?: boolean;
}): Promise<void> {
  await db.execute(sql`update dossiers set status = ${v.status}, updated_at = now()
    ${v.officeComment !== undefined ? sql`, office_comment = ${v.officeComment}` : sql``}
    ${v.roundId !== undefined ? sql`, round_id = ${v.roundId}` : sql``}
    ${v.evaluationId !== undefined ? sql`, evaluation_id = ${v.evaluationId}` : sql``}
    ${v.certificateId !== undefined ? sql`, certificate_id = ${v.certificateId}` : sql``}
    ${v.selfA !== undefined ? sql`, self_a = ${v.selfA}` : sql``}
    ${v.selfB !== undefined ? sql`, self_b = ${v.selfB}` : sql``}
    ${v.selfC !== undefined ? sql`, self_c = ${v.selfC}` : sql``}
    ${v.note !== undefined ? sql`, note = ${v.note}` : sql``}
    ${v.resubmitted ? sql`, submitted_at = now()` : sql``}
    where id = ${id}`);
}

export async function insertEvent(db: DbOrTx, dossierId: number, action: string, status: string, comment: string | null, actor: Actor | null): Promise<void> {
  await db.execute(sql`insert into dossier_events (dossier_id, action, status, comment, actor_user_id, actor_email)
    values (${dossierId}, ${action}, ${status}, ${comment}, ${actor?.id ?? null}, ${actor?.email ?? null})`);
}

/** Whether the central level refused 5★ for this dossier (then the province certifies at most 4★). */
export async function centralRefused(db: DbOrTx, dossierId: number): Promise<boolean> {
  return (await rows(db, sql`select 1 from dossier_events where dossier_id = ${dossierId} and action = 'central_refused' limit 1`)).length > 0;
}

export interface DossierEventRow { id: number; action: string; status: string; comment: string | null; actor_email: string | null; at: string }
export async function selectEvents(db: DbOrTx, dossierId: number): Promise<DossierEventRow[]> {
  return rows(db, sql`select id, action, status, comment, actor_email, at from dossier_events where dossier_id = ${dossierId} order by id`);
}

export async function insertDocument(db: DbOrTx, dossierId: number, kind: DocumentKind, url: string, fileKind: 'pdf' | 'image', fileName: string): Promise<number> {
  const r = await rows<{ id: number }>(db, sql`insert into dossier_documents (dossier_id, kind, url, file_kind, file_name)
    values (${dossierId}, ${kind}, ${url}, ${fileKind}, ${fileName}) returning id`);
  return Number(r[0]!.id);
}

export interface DocumentRow { id: number; kind: DocumentKind; url: string; file_kind: 'pdf' | 'image'; file_name: string; uploaded_at: string }
export async function selectDocuments(db: DbOrTx, dossierId: number): Promise<DocumentRow[]> {
  return rows(db, sql`select id, kind, url, file_kind, file_name, uploaded_at from dossier_documents where dossier_id = ${dossierId} order by id`);
}

export interface AssessmentRow {
  commune: string; assessed_on: string; raw_materials_met: boolean; raw_materials_note: string | null; labour_met: boolean; labour_note: string | null;
  idea_met: boolean; idea_note: string | null; identity_met: boolean; identity_note: string | null; recorded_at: string;
}
export async function selectAssessment(db: DbOrTx, dossierId: number): Promise<AssessmentRow | null> {
  return (await rows<AssessmentRow>(db, sql`select commune, assessed_on::text as assessed_on, raw_materials_met, raw_materials_note, labour_met, labour_note,
    idea_met, idea_note, identity_met, identity_note, recorded_at from commune_assessments where dossier_id = ${dossierId}`))[0] ?? null;
}

export async function upsertAssessment(db: DbOrTx, dossierId: number, v: CommuneAssessmentInput, by: number): Promise<void> {
  await db.execute(sql`insert into commune_assessments (dossier_id, commune, assessed_on, raw_materials_met, raw_materials_note, labour_met, labour_note,
      idea_met, idea_note, identity_met, identity_note, recorded_by)
    values (${dossierId}, ${v.commune}, ${v.assessedOn}, ${v.rawMaterialsMet}, ${v.rawMaterialsNote}, ${v.labourMet}, ${v.labourNote},
      ${v.ideaMet}, ${v.ideaNote}, ${v.identityMet}, ${v.identityNote}, ${by})
    on conflict (dossier_id) do update set commune = excluded.commune, assessed_on = excluded.assessed_on,
      raw_materials_met = excluded.raw_materials_met, raw_materials_note = excluded.raw_materials_note, labour_met = excluded.labour_met,
      labour_note = excluded.labour_note, idea_met = excluded.idea_met, idea_note = excluded.idea_note, identity_met = excluded.identity_met,
      identity_note = excluded.identity_note, recorded_by = excluded.recorded_by, recorded_at = now()`);
}

/** The round of a province and half-year, made on first use. */
export async function ensureRound(db: DbOrTx, provinceCode: string, year: number, half: number, name: string): Promise<number> {
  await db.execute(sql`insert into evaluation_rounds (province_code, year, half, name) values (${provinceCode}, ${year}, ${half}, ${name})
    on conflict (province_code, year, half) do nothing`);
  const r = await rows<{ id: number }>(db, sql`select id from evaluation_rounds where province_code = ${provinceCode} and year = ${year} and half = ${half}`);
  return Number(r[0]!.id);
}

export interface ProductForDossier { id: number; subgroup_code: string; active_stars: number | null; last_valid_until: string | null }
/** The producer's own product with its current certificate, if any. */
export async function selectOwnProduct(db: DbOrTx, producerId: number, slug: string): Promise<ProductForDossier | null> {
  return (await rows<ProductForDossier>(db, sql`select p.id, p.subgroup_code,
      (select c.stars from certificates c where c.product_id = p.id and c.status = 'active' order by c.issued_on desc limit 1) as active_stars,
      (select c.valid_until::text from certificates c where c.product_id = p.id and c.status <> 'revoked' order by c.issued_on desc limit 1) as last_valid_until
    from products p where p.producer_id = ${producerId} and p.slug = ${slug}`))[0] ?? null;
}

/** Open dossiers of a product (one at a time). */
export async function openDossierOf(db: DbOrTx, productId: number): Promise<number | null> {
  const r = await rows<{ id: number }>(db, sql`select id from dossiers where product_id = ${productId}
    and status in ('submitted', 'returned', 'accepted', 'evaluated', 'forwarded') limit 1`);
  return r[0] ? Number(r[0].id) : null;
}
