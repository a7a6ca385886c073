import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/index.ts';

/** Producer SQL of the office console. */
export interface ProducerAdminRow {
  id: number;
  slug: string;
  name: string;
  type: string;
  tax_code: string | null;
  province_code: string;
  commune: string | null;
  status: 'pending' | 'verified' | 'suspended';
  email: string | null;
  phone: string | null;
  product_count: number;
  accounts: string[];
  created_at: string;
}

const COLUMNS = sql`pr.id, pr.slug, pr.name, pr.type, pr.tax_code, pr.province_code, pr.commune, pr.status, pr.email, pr.phone, pr.created_at,
  (select count(*)::int from products p where p.producer_id = pr.id) as product_count,
  coalesce((select array_agg(u.email order by u.id) from users u where u.producer_id = pr.id), '{}') as accounts`;

export async function selectProducers(db: DbOrTx, status?: string): Promise<ProducerAdminRow[]> {
  return (await db.execute(sql`select ${COLUMNS} from producers pr ${status ? sql`where pr.status = ${status}` : sql``}
    order by pr.status = 'pending' desc, pr.name limit 1000`)) as unknown as ProducerAdminRow[];
}

export async function selectProducer(db: DbOrTx, slug: string, lock = false): Promise<ProducerAdminRow | null> {
  const rows = await db.execute(sql`select ${COLUMNS} from producers pr where pr.slug = ${slug} ${lock ? sql`for update of pr` : sql``}`);
  return (rows as unknown as ProducerAdminRow[])[0] ?? null;
}

export async function producerExists(db: DbOrTx, f: { slug?: string; taxCode?: string | null }): Promise<{ slug: boolean; taxCode: boolean }> {
  const rows = (await db.execute(sql`select
    exists(select 1 from producers where slug = ${f.slug ?? ''}) as slug,
    exists(select 1 from producers where tax_code = ${f.taxCode ?? ''}) as tax_code`)) as unknown as Array<{ slug: boolean; tax_code: boolean }>;
  return { slug: rows[0]!.slug, taxCode: rows[0]!.tax_code };
}

export async function emailTaken(db: DbOrTx, email: string): Promise<boolean> {
  const rows = await db.execute(sql`select 1 from users where email = ${email}`);
  return (rows as unknown as unknown[]).length > 0;
}

export async function insertProducer(db: DbOrTx, v: {
  slug: string; name: string; type: string; taxCode: string | null; provinceCode: string; commune: string | null;
  addressLine: string | null; historicalAddress: string | null; phone: string | null; email: string | null; storyVi: string | null; storyEn: string | null;
}): Promise<number> {
  const rows = await db.execute(sql`
    insert into producers (slug, name, type, tax_code, province_code, commune, address_line, historical_address, phone, email, story_vi, story_en, status)
    values (${v.slug}, ${v.name}, ${v.type}, ${v.taxCode}, ${v.provinceCode}, ${v.commune}, ${v.addressLine}, ${v.historicalAddress},
      ${v.phone}, ${v.email}, ${v.storyVi}, ${v.storyEn}, 'pending')
    returning id`);
  return Number((rows as unknown as Array<{ id: number }>)[0]!.id);
}

export async function insertProducerAccount(db: DbOrTx, producerId: number, email: string, name: string, passwordHash: string): Promise<void> {
  await db.execute(sql`insert into users (email, name, password_hash, role, producer_id) values (${email}, ${name}, ${passwordHash}, 'producer', ${producerId})`);
}

/** Sets the status; a suspension records when and why (shown on provenance pages), anything else clears them. */
export async function updateProducerStatus(db: DbOrTx, id: number, status: string, reason: string | null = null): Promise<void> {
  const suspended = status === 'suspended';
  await db.execute(sql`update producers set status = ${status}, updated_at = now(),
    suspended_at = ${suspended ? sql`now()` : sql`null`}, suspension_reason = ${suspended ? reason : null} where id = ${id}`);
}

/** A suspended producer's accounts are signed out everywhere. */
export async function closeProducerSessions(db: DbOrTx, producerId: number): Promise<void> {
  await db.execute(sql`delete from sessions where user_id in (select id from users where producer_id = ${producerId})`);
}
