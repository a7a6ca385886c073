import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/index.ts';
import type { ProductImage } from '../catalog/index.ts';

/** Product SQL of the back office. Every producer query is scoped by producer id. */
export interface OwnProductRow {
  id: number;
  slug: string;
  producer_id: number;
  group_code: string;
  subgroup_code: string;
  kind: 'goods' | 'experience';
  name_vi: string;
  name_en: string;
  description_vi: string;
  description_en: string;
  story_vi: string;
  story_en: string;
  price: number;
  unit_vi: string;
  unit_en: string;
  weight_grams: number;
  stock: number;
  reserved: number;
  gtin: string | null;
  images: ProductImage[];
  standards: string[];
  status: 'draft' | 'published' | 'archived';
  approval: 'pending' | 'approved' | 'rejected';
  approval_note: string | null;
  updated_at: string;
  published_at: string | null;
  cert_stars: number | null;
  cert_status: string | null;
  cert_valid_until: string | null;
}

const COLUMNS = sql`p.id, p.slug, p.producer_id, p.group_code, p.subgroup_code, p.kind, p.name_vi, p.name_en,
  p.description_vi, p.description_en, p.story_vi, p.story_en, p.price, p.unit_vi, p.unit_en, p.weight_grams,
  p.stock, p.reserved, p.gtin, p.images, p.standards, p.status, p.approval, p.approval_note, p.updated_at, p.published_at,
  cert.stars as cert_stars, cert.status as cert_status, cert.valid_until as cert_valid_until`;
const CERT = sql`left join lateral (
    select c.stars, c.status, c.valid_until::text as valid_until from certificates c
    where c.product_id = p.id and c.status <> 'superseded' order by c.issued_on desc, c.id desc limit 1) cert on true`;

export async function selectOwnProducts(db: DbOrTx, producerId: number): Promise<OwnProductRow[]> {
  return (await db.execute(sql`select ${COLUMNS} from products p ${CERT}
    where p.producer_id = ${producerId} order by p.status = 'archived', p.updated_at desc, p.id desc`)) as unknown as OwnProductRow[];
}

/** A product by slug, only when it belongs to this producer (null producer: the office sees all). */
export async function selectOwnProduct(db: DbOrTx, producerId: number | null, slug: string, lock = false): Promise<OwnProductRow | null> {
  const rows = await db.execute(sql`select ${COLUMNS} from products p ${CERT}
    where p.slug = ${slug} ${producerId === null ? sql`` : sql`and p.producer_id = ${producerId}`}
    ${lock ? sql`for update of p` : sql``}`);
  return (rows as unknown as OwnProductRow[])[0] ?? null;
}

export async function slugTaken(db: DbOrTx, slug: string): Promise<boolean> {
  const rows = await db.execute(sql`select 1 from products where slug = ${slug}`);
  return (rows as unknown as unknown[]).length > 0;
}

export async function gtinTaken(db: DbOrTx, gtin: string, exceptId?: number): Promise<boolean> {
  const rows = await db.execute(sql`select 1 from products where gtin = ${gtin} ${exceptId ? sql`and id <> ${exceptId}` : sql``}`);
  return (rows as unknown as unknown[]).length > 0;
}

export interface ProductValues {
  groupCode: string;
  subgroupCode: string;
  kind: 'goods' | 'experience';
  nameVi: string;
  nameEn: string;
  descriptionVi: string;
  descriptionEn: string;
  storyVi: string;
  storyEn: string;
  price: number;
  unitVi: string;
  unitEn: string;
  weightGrams: number;
  stock: number;
  gtin: string | null;
  standards: string[];
  status: 'draft' | 'published' | 'archived';
  images: ProductImage[];
}

export async function insertProduct(db: DbOrTx, producerId: number, slug: string, v: ProductValues): Promise<number> {
  const rows = await db.execute(sql`
    insert into products (slug, producer_id, group_code, subgroup_code, kind, name_vi, name_en, description_vi,
      description_en, story_vi, story_en, price, unit_vi, unit_en, weight_grams, stock, gtin, images, standards, status, published_at, approval)
    values (${slug}, ${producerId}, ${v.groupCode}, ${v.subgroupCode}, ${v.kind}, ${v.nameVi}, ${v.nameEn}, ${v.descriptionVi},
      ${v.descriptionEn}, ${v.storyVi}, ${v.storyEn}, ${v.price}, ${v.unitVi}, ${v.unitEn}, ${v.weightGrams}, ${v.stock},
      ${v.gtin}, ${JSON.stringify(v.images)}::jsonb, ${sql`${`{${v.standards.map((s) => JSON.stringify(s)).join(',')}}`}::text[]`},
      ${v.status}, ${v.status === 'published' ? sql`now()` : sql`null`}, 'pending')
    returning id`);
  return Number((rows as unknown as Array<{ id: number }>)[0]!.id);
}

export async function updateProduct(db: DbOrTx, id: number, v: ProductValues): Promise<void> {
  await db.execute(sql`
    update products set group_code = ${v.groupCode}, subgroup_code = ${v.subgroupCode}, kind = ${v.kind},
      name_vi = ${v.nameVi}, name_en = ${v.nameEn}, description_vi = ${v.descriptionVi}, description_en = ${v.descriptionEn},
      story_vi = ${v.storyVi}, story_en = ${v.storyEn}, price = ${v.price}, unit_vi = ${v.unitVi}, unit_en = ${v.unitEn},
      weight_grams = ${v.weightGrams}, stock = ${v.stock}, gtin = ${v.gtin}, images = ${JSON.stringify(v.images)}::jsonb,
      standards = ${sql`${`{${v.standards.map((s) => JSON.stringify(s)).join(',')}}`}::text[]`}, status = ${v.status},
      published_at = case when ${v.status} = 'published' then coalesce(published_at, now()) else published_at end,
      updated_at = now()
    where id = ${id}`);
}

/** Products waiting for (or refused) the office's approval, oldest first, with their producer. */
export async function selectProductsForApproval(db: DbOrTx, approval: 'pending' | 'rejected'): Promise<Array<OwnProductRow & { producer_slug: string; producer_name: string; created_at: string }>> {
  return (await db.execute(sql`select ${COLUMNS}, pr.slug as producer_slug, pr.name as producer_name, p.created_at
    from products p join producers pr on pr.id = p.producer_id ${CERT}
    where p.approval = ${approval} order by p.created_at, p.id limit 200`)) as unknown as Array<OwnProductRow & { producer_slug: string; producer_name: string; created_at: string }>;
}

export async function setApproval(db: DbOrTx, id: number, approval: 'approved' | 'rejected', note: string | null, by: string): Promise<void> {
  await db.execute(sql`update products set approval = ${approval}, approval_note = ${note}, approved_by = ${by},
    approved_at = ${approval === 'approved' ? sql`now()` : sql`null`}, updated_at = now() where id = ${id}`);
}
