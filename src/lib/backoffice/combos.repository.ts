import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/index.ts';
import { COMBO_ASSEMBLER_ID, type ComboOccasion, type ProductImage } from '../catalog/index.ts';

/**
 * Combo SQL of the editor. `owner` null is the office (every combo); a producer (a number, or
 * `{ kind: 'producer' }`) or a point of sale sees only its own.
 */
export type ComboOwner = number | { kind: 'producer' | 'point_of_sale'; id: number } | null;
export interface ComboListRow {
  slug: string;
  name_vi: string;
  name_en: string;
  price: number;
  status: 'draft' | 'published' | 'archived';
  occasion: string;
  item_count: number;
  owner_name: string | null;
  assembler_name: string | null;
  image: ProductImage | null;
}

const ownedBy = (owner: ComboOwner) => {
  if (owner === null) return sql`true`;
  if (typeof owner === 'number' || owner.kind === 'producer') return sql`c.owner_producer_id = ${typeof owner === 'number' ? owner : owner.id}`;
  return sql`c.owner_point_id = ${owner.id}`;
};
/** The assembler's name and its editor value: a producer's slug, or `pos:<slug>` for a point of sale. */
const ASSEMBLER_NAME = sql`coalesce((select name_vi from points_of_sale where id = c.assembler_point_id), (select name from producers where id = ${COMBO_ASSEMBLER_ID}))`;
const ASSEMBLER_VALUE = sql`coalesce((select 'pos:' || slug from points_of_sale where id = c.assembler_point_id), (select slug from producers where id = ${COMBO_ASSEMBLER_ID}))`;

export async function selectEditableCombos(db: DbOrTx, owner: ComboOwner): Promise<ComboListRow[]> {
  return (await db.execute(sql`select c.slug, c.name_vi, c.name_en, c.price, c.status, c.occasion,
      (select count(*)::int from combo_items ci where ci.combo_id = c.id) as item_count,
      coalesce((select name from producers where id = c.owner_producer_id), (select name_vi from points_of_sale where id = c.owner_point_id)) as owner_name,
      ${ASSEMBLER_NAME} as assembler_name,
      coalesce(c.image, c.composite_image) as image
    from combos c where ${ownedBy(owner)} order by c.status = 'archived', c.updated_at desc, c.id desc limit 300`)) as unknown as ComboListRow[];
}

export interface ComboEditRow {
  id: number;
  slug: string;
  name_vi: string;
  name_en: string;
  description_vi: string;
  description_en: string;
  story_vi: string;
  story_en: string;
  price: number;
  status: 'draft' | 'published' | 'archived';
  occasion: ComboOccasion;
  place: string | null;
  image: ProductImage | null;
  composite_image: ProductImage | null;
  assembler_slug: string | null;
  items: Array<{ slug: string; qty: number }>;
}

export async function selectComboForEdit(db: DbOrTx, slug: string, owner: ComboOwner, lock = false): Promise<ComboEditRow | null> {
  const rows = (await db.execute(sql`select c.id, c.slug, c.name_vi, c.name_en, c.description_vi, c.description_en, c.story_vi, c.story_en,
      c.price, c.status, c.occasion, c.place, c.image, c.composite_image,
      ${ASSEMBLER_VALUE} as assembler_slug,
      coalesce((select json_agg(json_build_object('slug', p.slug, 'qty', ci.qty) order by p.id)
        from combo_items ci join products p on p.id = ci.product_id where ci.combo_id = c.id), '[]') as items
    from combos c where c.slug = ${slug} and ${ownedBy(owner)} ${lock ? sql`for update of c` : sql``}`)) as unknown as ComboEditRow[];
  return rows[0] ?? null;
}

export interface ComboCandidate {
  id: number;
  slug: string;
  name_vi: string;
  name_en: string;
  price: number;
  producer_id: number;
  producer_slug: string;
  producer_name: string;
  image: ProductImage | null;
}

/** Products that may go in a box: goods (not experiences) of the producer, or of anyone for the office. */
export async function selectComboCandidates(db: DbOrTx, producer: number | null, slugs?: string[]): Promise<ComboCandidate[]> {
  if (slugs && slugs.length === 0) return [];
  return (await db.execute(sql`select p.id, p.slug, p.name_vi, p.name_en, p.price, pr.id as producer_id, pr.slug as producer_slug,
      pr.name as producer_name, p.images->0 as image
    from products p join producers pr on pr.id = p.producer_id
    where p.kind = 'goods' and p.status <> 'archived' ${producer === null ? sql`` : sql`and p.producer_id = ${producer}`}
      ${slugs ? sql`and p.slug in (${sql.join(slugs.map((s) => sql`${s}`), sql`, `)})` : sql``}
    order by pr.name, p.name_vi limit 2000`)) as unknown as ComboCandidate[];
}

export async function comboSlugTaken(db: DbOrTx, slug: string): Promise<boolean> {
  return ((await db.execute(sql`select 1 from combos where slug = ${slug}`)) as unknown as unknown[]).length > 0;
}

export interface ComboValues {
  nameVi: string;
  nameEn: string;
  descriptionVi: string;
  descriptionEn: string;
  storyVi: string;
  storyEn: string;
  price: number;
  status: 'draft' | 'published' | 'archived';
  occasion: ComboOccasion;
  place: string | null;
  /** Who packs it: a producer or a point of sale (exactly one column is set). */
  assembler: { kind: 'producer' | 'point_of_sale'; id: number };
}

const assemblerColumns = (v: ComboValues) => ({
  producer: v.assembler.kind === 'producer' ? v.assembler.id : null,
  point: v.assembler.kind === 'point_of_sale' ? v.assembler.id : null,
});

export async function insertCombo(db: DbOrTx, slug: string, owner: ComboOwner, v: ComboValues): Promise<number> {
  const a = assemblerColumns(v);
  const ownerProducer = owner === null ? null : typeof owner === 'number' ? owner : owner.kind === 'producer' ? owner.id : null;
  const ownerPoint = owner !== null && typeof owner === 'object' && owner.kind === 'point_of_sale' ? owner.id : null;
  const rows = await db.execute(sql`insert into combos (slug, name_vi, name_en, description_vi, description_en, story_vi, story_en, price,
      status, occasion, place, assembler_producer_id, assembler_point_id, owner_producer_id, owner_point_id)
    values (${slug}, ${v.nameVi}, ${v.nameEn}, ${v.descriptionVi}, ${v.descriptionEn}, ${v.storyVi}, ${v.storyEn}, ${v.price},
      ${v.status}, ${v.occasion}, ${v.place}, ${a.producer}, ${a.point}, ${ownerProducer}, ${ownerPoint}) returning id`);
  return Number((rows as unknown as Array<{ id: number }>)[0]!.id);
}

export async function updateCombo(db: DbOrTx, id: number, v: ComboValues): Promise<void> {
  await db.execute(sql`update combos set name_vi = ${v.nameVi}, name_en = ${v.nameEn}, description_vi = ${v.descriptionVi},
    description_en = ${v.descriptionEn}, story_vi = ${v.storyVi}, story_en = ${v.storyEn}, price = ${v.price}, status = ${v.status},
    occasion = ${v.occasion}, place = ${v.place}, assembler_producer_id = ${assemblerColumns(v).producer},
    assembler_point_id = ${assemblerColumns(v).point}, updated_at = now() where id = ${id}`);
}

/** Archives a box (the API's DELETE): it leaves the shop, orders keep their snapshots. */
export async function archiveCombo(db: DbOrTx, id: number): Promise<void> {
  await db.execute(sql`update combos set status = 'archived', updated_at = now() where id = ${id}`);
}

/** Open points of sale that may pack a box (the office's editor). */
export async function selectOpenPoints(db: DbOrTx, slugs?: string[]): Promise<Array<{ id: number; slug: string; name_vi: string; name_en: string; status: string }>> {
  if (slugs && slugs.length === 0) return [];
  return (await db.execute(sql`select id, slug, name_vi, name_en, status from points_of_sale
    where ${slugs ? sql`slug in (${sql.join(slugs.map((s) => sql`${s}`), sql`, `)})` : sql`status = 'open'`} order by name_vi limit 500`)) as unknown as Array<{ id: number; slug: string; name_vi: string; name_en: string; status: string }>;
}

export async function replaceComboItems(db: DbOrTx, comboId: number, items: Array<{ productId: number; qty: number }>): Promise<void> {
  await db.execute(sql`delete from combo_items where combo_id = ${comboId}`);
  if (items.length === 0) return;
  await db.execute(sql`insert into combo_items (combo_id, product_id, qty) values
    ${sql.join(items.map((i) => sql`(${comboId}, ${i.productId}, ${i.qty})`), sql`, `)}`);
}

/** Sets the uploaded picture (`image`, undefined: unchanged) and/or the composite. */
export async function setComboPictures(db: DbOrTx, comboId: number, p: { image?: ProductImage | null; composite?: ProductImage | null }): Promise<void> {
  if (p.image !== undefined) await db.execute(sql`update combos set image = ${p.image === null ? null : JSON.stringify(p.image)}::jsonb where id = ${comboId}`);
  if (p.composite !== undefined) await db.execute(sql`update combos set composite_image = ${p.composite === null ? null : JSON.stringify(p.composite)}::jsonb where id = ${comboId}`);
}
