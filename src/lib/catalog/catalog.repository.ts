import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../db/index.ts';
import type { ComboOccasion, ProductImage } from './catalog.table.ts';
import { PAGE_VISIBLE, SALE_BLOCK, SELLABLE } from './sellability.ts';

/**
 * All catalogue SQL. Listed ("visible") products are the sellable ones (sellability.ts); a product
 * page also exists for a published, approved product that cannot be sold now, and says why.
 * The current certificate of a product is its newest one that was not superseded.
 */
export interface ProductRow {
  id: number;
  slug: string;
  name_vi: string;
  name_en: string;
  price: number;
  unit_vi: string;
  unit_en: string;
  images: ProductImage[];
  group_code: string;
  subgroup_code: string;
  kind: 'goods' | 'experience';
  stock: number;
  producer_slug: string;
  producer_name: string;
  province_code: string;
  cert_stars: number | null;
  cert_status: string | null;
  cert_valid_until: string | null;
}

export const CURRENT_CERT_JOIN = sql`left join lateral (
    select c.stars, c.status, c.valid_until::text as valid_until, c.number, c.id
    from certificates c
    where c.product_id = p.id and c.status <> 'superseded'
    order by c.issued_on desc, c.id desc
    limit 1
  ) cert on true`;

export const CARD_COLUMNS = sql`p.id, p.slug, p.name_vi, p.name_en, p.price, p.unit_vi, p.unit_en, p.images,
  p.group_code, p.subgroup_code, p.kind, p.stock, pr.slug as producer_slug, pr.name as producer_name,
  pr.province_code, cert.stars as cert_stars, cert.status as cert_status, cert.valid_until as cert_valid_until`;

/** Listed in the catalogue, search and combos: the one sellability rule. */
export const VISIBLE = SELLABLE;

/** One list of cards: its filter, order and page. */
export interface CardList {
  where: SQL;
  orderBy: SQL;
  limit: number;
  offset?: number;
}

/** The statement of one card list; `tag` adds a `list_no` column (several lists in one statement). */
function cardListSql(l: CardList, tag?: number): SQL {
  return sql`
    select ${tag === undefined ? sql`` : sql`${sql.raw(String(tag))} as list_no, `}${CARD_COLUMNS}
    from products p
    join producers pr on pr.id = p.producer_id
    ${CURRENT_CERT_JOIN}
    where ${l.where}
    order by ${l.orderBy}
    limit ${l.limit} offset ${l.offset ?? 0}`;
}

export async function selectCards(db: DbOrTx, where: SQL, orderBy: SQL, limit: number, offset = 0): Promise<ProductRow[]> {
  return db.execute<ProductRow & Record<string, unknown>>(cardListSql({ where, orderBy, limit, offset })) as unknown as Promise<ProductRow[]>;
}

/**
 * Several card lists in ONE statement (a product page's "more from this producer" and "related"):
 * each keeps its own filter, order and limit; the answer is one array per list, in order.
 */
export async function selectCardLists(db: DbOrTx, lists: CardList[]): Promise<ProductRow[][]> {
  const rows = (await db.execute(sql.join(lists.map((l, i) => sql`(${cardListSql(l, i)})`), sql` union all `))) as unknown as Array<ProductRow & { list_no: number }>;
  return lists.map((_, i) => rows.filter((r) => Number(r.list_no) === i));
}

/**
 * A product page's data in ONE round trip: the product with its producer, its current certificate
 * and its newest released lot (each as JSON, null when there is none), by the unique slug index and
 * the (product_id, …) indexes of certificates and lots.
 */
export async function selectProductPage(db: DbOrTx, slug: string) {
  const rows = await db.execute(sql`
    select p.*, pr.slug as producer_slug, pr.name as producer_name, pr.type as producer_type,
      pr.province_code, pr.commune as producer_commune, pr.historical_address as producer_historical_address,
      pr.status as producer_status, ${SALE_BLOCK} as sale_block,
      (select to_jsonb(c) from (
        select number, decision_number, authority, authority_level, stars, score::float8 as score,
          issued_on::text as issued_on, valid_until::text as valid_until, status, revoked_at, revocation_reason, revocation_code
        from certificates where product_id = p.id and status <> 'superseded'
        order by issued_on desc, id desc limit 1) c) as certificate_row,
      (select to_jsonb(l) from (
        select code, produced_on::text as produced_on, best_before::text as best_before, quantity,
          material_area_vi, material_area_en, growing_area_code, harvested_on::text as harvested_on
        from lots where product_id = p.id and status = 'released'
        order by produced_on desc, id desc limit 1) l) as lot_row
    from products p join producers pr on pr.id = p.producer_id
    where p.slug = ${slug} and ${PAGE_VISIBLE}`);
  return (rows as unknown as Array<Record<string, unknown>>)[0] ?? null;
}

export async function selectProducerBySlug(db: DbOrTx, slug: string) {
  const rows = await db.execute(sql`select * from producers where slug = ${slug} and status <> 'suspended'`);
  return (rows as unknown as Array<Record<string, unknown>>)[0] ?? null;
}

export async function countBy(db: DbOrTx, column: 'group_code' | 'province_code') {
  const col = column === 'group_code' ? sql`p.group_code` : sql`pr.province_code`;
  const rows = await db.execute(sql`
    select ${col} as code, count(*)::int as n
    from products p join producers pr on pr.id = p.producer_id
    where ${VISIBLE} group by 1 order by 2 desc, 1`);
  return rows as unknown as Array<{ code: string; n: number }>;
}

export interface ComboRow {
  id: number;
  slug: string;
  name_vi: string;
  name_en: string;
  description_vi: string;
  description_en: string;
  story_vi: string;
  story_en: string;
  occasion: ComboOccasion;
  place: string | null;
  price: number;
  image: ProductImage | null;
  composite_image: ProductImage | null;
  assembler: { kind: 'producer' | 'point_of_sale'; slug: string; name: string; nameEn?: string; province: string } | null;
  /** Each component with why it cannot be sold now (a SaleBlock code), or null. */
  items: Array<{ slug: string; qty: number; name_vi: string; name_en: string; block: string | null }>;
}

/**
 * The producer assembling combo `c`: its named producer, else the producer of its first component;
 * null when a point of sale packs it (`c.assembler_point_id`).
 */
export const COMBO_ASSEMBLER_ID = sql`(case when c.assembler_point_id is null then coalesce(c.assembler_producer_id, (select p1.producer_id from combo_items ci1
  join products p1 on p1.id = ci1.product_id where ci1.combo_id = c.id order by p1.id limit 1)) end)`;

/**
 * Who packs combo `c` as a shipper (`{ kind, id, slug, name, province }`): the point of sale when
 * one is named — null when that point is closed, so the box cannot be sold — else the producer.
 */
export const COMBO_ASSEMBLER_JSON = sql`(case when c.assembler_point_id is not null then
    (select json_build_object('kind', 'point_of_sale', 'id', s.id, 'slug', s.slug, 'name', s.name_vi, 'nameEn', s.name_en, 'province', s.province_code)
      from points_of_sale s where s.id = c.assembler_point_id and s.status = 'open')
  else (select json_build_object('kind', 'producer', 'id', a.id, 'slug', a.slug, 'name', a.name, 'province', a.province_code)
      from producers a where a.id = ${COMBO_ASSEMBLER_ID}) end)`;

export async function selectCombos(db: DbOrTx, slug?: string): Promise<ComboRow[]> {
  return db.execute(sql`
    select c.id, c.slug, c.name_vi, c.name_en, c.description_vi, c.description_en, c.story_vi, c.story_en, c.occasion, c.place,
      c.price, c.image, c.composite_image,
      ${COMBO_ASSEMBLER_JSON} as assembler,
      coalesce((select json_agg(json_build_object('slug', p.slug, 'qty', ci.qty, 'name_vi', p.name_vi, 'name_en', p.name_en,
          'block', ${SALE_BLOCK}) order by p.slug)
        from combo_items ci join products p on p.id = ci.product_id join producers pr on pr.id = p.producer_id
        where ci.combo_id = c.id), '[]') as items
    from combos c
    where c.status = 'published' ${slug ? sql`and c.slug = ${slug}` : sql``}
    order by c.featured desc, c.id`) as unknown as Promise<ComboRow[]>;
}
