import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/index.ts';
import type { CertificateIssueInput, EvaluationInput } from './certification.schemas.ts';

/** All certification SQL: evaluations with members' scores, certificates and their history. */
export interface EvaluationRow {
  id: number;
  product_id: number;
  product_slug: string;
  product_name: string;
  level: string;
  council_name: string | null;
  evaluated_on: string;
  score: number;
  stars: number;
  mandatory_met: boolean;
  notes: string | null;
  council_size: number | null;
  members: Array<{ name: string; score: number; isChair: boolean; a: number | null; b: number | null; c: number | null }>;
  certificate_number: string | null;
}

const EVALUATION = sql`select e.id, e.product_id, p.slug as product_slug, p.name_vi as product_name, e.level, e.council_name,
    e.evaluated_on::text as evaluated_on, e.score::float8 as score, e.stars, e.mandatory_met, e.notes, e.council_size,
    coalesce((select json_agg(json_build_object('name', s.member_name, 'score', s.score::float8, 'isChair', s.is_chair,
        'a', s.part_a::float8, 'b', s.part_b::float8, 'c', s.part_c::float8) order by s.id)
      from evaluation_scores s where s.evaluation_id = e.id), '[]') as members,
    (select c.number from certificates c where c.evaluation_id = e.id order by c.id desc limit 1) as certificate_number
  from evaluations e join products p on p.id = e.product_id`;

export async function selectEvaluations(db: DbOrTx, limit = 100): Promise<EvaluationRow[]> {
  return (await db.execute(sql`${EVALUATION} order by e.evaluated_on desc, e.id desc limit ${limit}`)) as unknown as EvaluationRow[];
}

export async function selectEvaluation(db: DbOrTx, id: number): Promise<EvaluationRow | null> {
  const rows = await db.execute(sql`${EVALUATION} where e.id = ${id}`);
  return (rows as unknown as EvaluationRow[])[0] ?? null;
}

export async function selectProductIdBySlug(db: DbOrTx, slug: string): Promise<number | null> {
  const rows = await db.execute(sql`select id from products where slug = ${slug}`);
  const row = (rows as unknown as Array<{ id: number }>)[0];
  return row ? Number(row.id) : null;
}

export interface MemberScore {
  name: string;
  isChair: boolean;
  score: number;
  parts: { a: number; b: number; c: number } | null;
}

export async function insertEvaluation(db: DbOrTx, productId: number, v: EvaluationInput, members: MemberScore[], score: number, stars: number, by: number): Promise<number> {
  const rows = await db.execute(sql`
    insert into evaluations (product_id, level, council_name, evaluated_on, score, stars, mandatory_met, notes, council_size, created_by)
    values (${productId}, ${v.level}, ${v.councilName ?? null}, ${v.evaluatedOn}, ${score}, ${stars}, ${v.mandatoryMet}, ${v.notes ?? null}, ${v.councilSize ?? null}, ${by})
    returning id`);
  const id = Number((rows as unknown as Array<{ id: number }>)[0]!.id);
  await db.execute(sql`insert into evaluation_scores (evaluation_id, member_name, is_chair, score, part_a, part_b, part_c) values ${sql.join(
    members.map((m) => sql`(${id}, ${m.name}, ${m.isChair}, ${m.score}, ${m.parts?.a ?? null}, ${m.parts?.b ?? null}, ${m.parts?.c ?? null})`), sql`, `)}`);
  return id;
}

export interface CertificateRow {
  id: number;
  product_id: number;
  product_slug: string;
  product_name: string;
  producer_slug: string;
  producer_name: string;
  evaluation_id: number | null;
  number: string;
  decision_number: string;
  authority: string;
  authority_level: string;
  stars: number;
  score: number | null;
  issued_on: string;
  valid_until: string;
  status: 'active' | 'superseded' | 'revoked';
  revoked_at: string | null;
  revocation_reason: string | null;
  revocation_code: string | null;
  supersedes_id: number | null;
  expiry_notice_queued_at: string | null;
}

const CERTIFICATE = sql`select c.id, c.product_id, p.slug as product_slug, p.name_vi as product_name, pr.slug as producer_slug,
    pr.name as producer_name, c.evaluation_id, c.number, c.decision_number, c.authority, c.authority_level, c.stars,
    c.score::float8 as score, c.issued_on::text as issued_on, c.valid_until::text as valid_until, c.status, c.revoked_at,
    c.revocation_reason, c.revocation_code, c.supersedes_id, c.expiry_notice_queued_at
  from certificates c join products p on p.id = c.product_id join producers pr on pr.id = p.producer_id`;

export async function selectCertificates(db: DbOrTx, f: { status?: string; q?: string; limit: number; offset: number }): Promise<CertificateRow[]> {
  const q = f.q ? `%${f.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%` : null;
  return (await db.execute(sql`${CERTIFICATE}
    where true ${f.status ? sql`and c.status = ${f.status}` : sql``}
      ${q ? sql`and (c.number ilike ${q} or p.name_vi ilike ${q} or p.slug ilike ${q} or pr.name ilike ${q})` : sql``}
    order by c.issued_on desc, c.id desc limit ${f.limit} offset ${f.offset}`)) as unknown as CertificateRow[];
}

export async function selectCertificate(db: DbOrTx, id: number, lock = false): Promise<CertificateRow | null> {
  const rows = await db.execute(sql`${CERTIFICATE} where c.id = ${id} ${lock ? sql`for update of c` : sql``}`);
  return (rows as unknown as CertificateRow[])[0] ?? null;
}

export async function selectProductCertificates(db: DbOrTx, productId: number): Promise<CertificateRow[]> {
  return (await db.execute(sql`${CERTIFICATE} where c.product_id = ${productId} order by c.issued_on desc, c.id desc`)) as unknown as CertificateRow[];
}

/** The product's active certificate, locked (renewals and upgrades of one product are serialised). */
export async function selectActiveCertificate(db: DbOrTx, productId: number): Promise<CertificateRow | null> {
  const rows = await db.execute(sql`${CERTIFICATE} where c.product_id = ${productId} and c.status = 'active'
    order by c.issued_on desc, c.id desc limit 1 for update of c`);
  return (rows as unknown as CertificateRow[])[0] ?? null;
}

export async function numberTaken(db: DbOrTx, number: string): Promise<boolean> {
  const rows = await db.execute(sql`select 1 from certificates where number = ${number}`);
  return (rows as unknown as unknown[]).length > 0;
}

export async function supersede(db: DbOrTx, id: number): Promise<void> {
  await db.execute(sql`update certificates set status = 'superseded' where id = ${id} and status = 'active'`);
}

export async function insertCertificate(db: DbOrTx, v: CertificateIssueInput & { productId: number; stars: number; score: number; validUntil: string; supersedesId: number | null }): Promise<number> {
  const rows = await db.execute(sql`
    insert into certificates (product_id, evaluation_id, number, decision_number, authority, authority_level, stars, score, issued_on, valid_until, supersedes_id)
    values (${v.productId}, ${v.evaluationId}, ${v.number}, ${v.decisionNumber}, ${v.authority}, ${v.authorityLevel}, ${v.stars}, ${v.score},
      ${v.issuedOn}, ${v.validUntil}, ${v.supersedesId})
    returning id`);
  return Number((rows as unknown as Array<{ id: number }>)[0]!.id);
}

export async function revoke(db: DbOrTx, id: number, reason: { code: string; note: string | null }): Promise<void> {
  await db.execute(sql`update certificates set status = 'revoked', revoked_at = now(), revocation_code = ${reason.code}, revocation_reason = ${reason.note} where id = ${id}`);
}

/** Active certificates whose validity ends between `from` and `to` (inclusive), soonest first. */
export async function selectExpiring(db: DbOrTx, from: string, to: string): Promise<CertificateRow[]> {
  return (await db.execute(sql`${CERTIFICATE}
    where c.status = 'active' and c.valid_until between ${from} and ${to}
    order by c.valid_until, c.id`)) as unknown as CertificateRow[];
}

/** Claims the right to send this certificate's expiry notice: true only the first time. */
export async function markNoticeQueued(db: DbOrTx, id: number): Promise<boolean> {
  const rows = await db.execute(sql`update certificates set expiry_notice_queued_at = now()
    where id = ${id} and expiry_notice_queued_at is null returning id`);
  return (rows as unknown as unknown[]).length > 0;
}

export async function selectHolderContacts(db: DbOrTx, productId: number): Promise<{ producer_name: string; producer_email: string | null; accounts: string[] }> {
  const rows = await db.execute(sql`select pr.name as producer_name, pr.email as producer_email,
      coalesce((select array_agg(u.email order by u.id) from users u where u.producer_id = pr.id and not u.disabled), '{}') as accounts
    from products p join producers pr on pr.id = p.producer_id where p.id = ${productId}`);
  return (rows as unknown as Array<{ producer_name: string; producer_email: string | null; accounts: string[] }>)[0]!;
}
