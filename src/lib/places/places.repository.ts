import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/index.ts';
import type { SoldPlace } from '../stamps/index.ts';
import type { PointOfSaleKind } from './places.table.ts';

/** All SQL of points of sale, their stock list, staff and counter sales. */
export interface PointOfSaleRow {
  id: number;
  slug: string;
  kind: PointOfSaleKind;
  nameVi: string;
  nameEn: string;
  descriptionVi: string;
  descriptionEn: string;
  provinceCode: string;
  commune: string;
  addressLine: string;
  historicalAddress: string | null;
  hoursVi: string;
  hoursEn: string;
  phone: string | null;
  latitude: number | null;
  longitude: number | null;
  status: 'open' | 'closed';
  productCount: number;
}

export interface StockedProductRow {
  slug: string;
  nameVi: string;
  nameEn: string;
  price: number;
  producerName: string;
  image: { url: string; altVi: string; altEn: string } | null;
}

const COLUMNS = sql`s.id, s.slug, s.kind, s.name_vi as "nameVi", s.name_en as "nameEn", s.description_vi as "descriptionVi",
  s.description_en as "descriptionEn", s.province_code as "provinceCode", s.commune, s.address_line as "addressLine",
  s.historical_address as "historicalAddress", s.hours_vi as "hoursVi", s.hours_en as "hoursEn", s.phone, s.latitude, s.longitude, s.status,
  (select count(*)::int from point_of_sale_products sp join products p on p.id = sp.product_id
    join producers pr on pr.id = p.producer_id where sp.point_of_sale_id = s.id and p.status = 'published' and pr.status <> 'suspended') as "productCount"`;

export interface PointOfSaleFilter {
  province?: string;
  kind?: PointOfSaleKind;
  /** Only those stocking this product (by slug). */
  product?: string;
  includeClosed?: boolean;
}

export async function selectPointsOfSale(db: DbOrTx, f: PointOfSaleFilter): Promise<PointOfSaleRow[]> {
  const where = [sql`true`];
  if (!f.includeClosed) where.push(sql`s.status = 'open'`);
  if (f.province) where.push(sql`s.province_code = ${f.province}`);
  if (f.kind) where.push(sql`s.kind = ${f.kind}`);
  if (f.product) where.push(sql`exists (select 1 from point_of_sale_products sp join products p on p.id = sp.product_id where sp.point_of_sale_id = s.id and p.slug = ${f.product})`);
  return (await db.execute(sql`select ${COLUMNS} from points_of_sale s where ${sql.join(where, sql` and `)}
    order by s.province_code, s.name_vi`)) as unknown as PointOfSaleRow[];
}

/**
 * Points of sale opened in [from, to] (Vietnam dates) in an area: a province, a commune, or a
 * former district written in the place's historical address (the office programme's targets).
 */
export async function countOpenedPointsOfSale(db: DbOrTx, from: string, to: string, area: { province?: string | null; commune?: string | null; legacyArea?: string | null }): Promise<number> {
  const rows = (await db.execute(sql`select count(*)::int as n from points_of_sale s
    where (s.created_at at time zone 'Asia/Ho_Chi_Minh')::date between ${from}::date and ${to}::date
      ${area.province ? sql`and s.province_code = ${area.province}` : sql``}
      ${area.commune ? sql`and s.commune = ${area.commune}` : sql``}
      ${area.legacyArea ? sql`and position(lower(${area.legacyArea}) in lower(coalesce(s.historical_address, ''))) > 0` : sql``}`)) as unknown as Array<{ n: number }>;
  return rows[0]?.n ?? 0;
}

export async function selectPointOfSale(db: DbOrTx, slug: string, lock = false): Promise<PointOfSaleRow | null> {
  const rows = (await db.execute(sql`select ${COLUMNS} from points_of_sale s where s.slug = ${slug} ${lock ? sql`for update` : sql``}`)) as unknown as PointOfSaleRow[];
  return rows[0] ?? null;
}

export async function selectPointOfSaleById(db: DbOrTx, id: number): Promise<PointOfSaleRow | null> {
  const rows = (await db.execute(sql`select ${COLUMNS} from points_of_sale s where s.id = ${id}`)) as unknown as PointOfSaleRow[];
  return rows[0] ?? null;
}

/** Products a point of sale stocks that can be sold now (published, producer not suspended). */
export async function selectStockedProducts(db: DbOrTx, pointOfSaleId: number): Promise<StockedProductRow[]> {
  return (await db.execute(sql`select p.slug, p.name_vi as "nameVi", p.name_en as "nameEn", p.price, pr.name as "producerName", p.images->0 as image
    from point_of_sale_products sp join products p on p.id = sp.product_id join producers pr on pr.id = p.producer_id
    where sp.point_of_sale_id = ${pointOfSaleId} and p.status = 'published' and pr.status <> 'suspended'
    order by p.name_vi`)) as unknown as StockedProductRow[];
}

/** Slugs of every product stocked, whatever its state (the office's editor shows them all). */
export async function selectStockedSlugs(db: DbOrTx, pointOfSaleId: number): Promise<string[]> {
  const rows = (await db.execute(sql`select p.slug from point_of_sale_products sp join products p on p.id = sp.product_id
    where sp.point_of_sale_id = ${pointOfSaleId} order by p.slug`)) as unknown as Array<{ slug: string }>;
  return rows.map((r) => r.slug);
}

export type PointOfSaleValues = Omit<PointOfSaleRow, 'id' | 'productCount'>;

const toRow = (v: PointOfSaleValues) => sql`${v.slug}, ${v.kind}, ${v.nameVi}, ${v.nameEn}, ${v.descriptionVi}, ${v.descriptionEn}, ${v.provinceCode},
  ${v.commune}, ${v.addressLine}, ${v.historicalAddress}, ${v.hoursVi}, ${v.hoursEn}, ${v.phone}, ${v.latitude}, ${v.longitude}, ${v.status}`;

export async function insertPointsOfSale(db: DbOrTx, values: PointOfSaleValues[]): Promise<Array<{ id: number; slug: string }>> {
  if (values.length === 0) return [];
  return (await db.execute(sql`insert into points_of_sale (slug, kind, name_vi, name_en, description_vi, description_en, province_code,
      commune, address_line, historical_address, hours_vi, hours_en, phone, latitude, longitude, status)
    values ${sql.join(values.map((v) => sql`(${toRow(v)})`), sql`, `)} returning id, slug`)) as unknown as Array<{ id: number; slug: string }>;
}

export async function updatePointOfSaleRow(db: DbOrTx, id: number, v: PointOfSaleValues): Promise<void> {
  await db.execute(sql`update points_of_sale set (slug, kind, name_vi, name_en, description_vi, description_en, province_code,
      commune, address_line, historical_address, hours_vi, hours_en, phone, latitude, longitude, status) = (${toRow(v)}), updated_at = now()
    where id = ${id}`);
}

/** Replaces the stock list; returns the slugs that are not products. */
export async function replaceStocked(db: DbOrTx, pointOfSaleId: number, slugs: string[]): Promise<string[]> {
  const found = slugs.length
    ? ((await db.execute(sql`select id, slug from products where slug in (select jsonb_array_elements_text(${JSON.stringify(slugs)}::jsonb))`)) as unknown as Array<{ id: number; slug: string }>)
    : [];
  const missing = slugs.filter((s) => !found.some((f) => f.slug === s));
  if (missing.length) return missing;
  await db.execute(sql`delete from point_of_sale_products where point_of_sale_id = ${pointOfSaleId}`);
  if (found.length) {
    await db.execute(sql`insert into point_of_sale_products (point_of_sale_id, product_id)
      values ${sql.join(found.map((f) => sql`(${pointOfSaleId}, ${f.id})`), sql`, `)}`);
  }
  return [];
}

export async function insertStocked(db: DbOrTx, rows: Array<{ pointOfSaleId: number; productId: number }>): Promise<void> {
  if (rows.length === 0) return;
  await db.execute(sql`insert into point_of_sale_products (point_of_sale_id, product_id)
    values ${sql.join(rows.map((r) => sql`(${r.pointOfSaleId}, ${r.productId})`), sql`, `)} on conflict do nothing`);
}

/** Where a product can be bought in person (open points of sale stocking it). */
export async function selectPlacesForProduct(db: DbOrTx, productSlug: string): Promise<PointOfSaleRow[]> {
  return selectPointsOfSale(db, { product: productSlug });
}

// ---- staff ----

export async function selectStaffPlace(db: DbOrTx, userId: number): Promise<PointOfSaleRow | null> {
  const rows = (await db.execute(sql`select ${COLUMNS} from point_of_sale_staff st join points_of_sale s on s.id = st.point_of_sale_id
    where st.user_id = ${userId}`)) as unknown as PointOfSaleRow[];
  return rows[0] ?? null;
}

export async function insertStaff(db: DbOrTx, rows: Array<{ userId: number; pointOfSaleId: number }>): Promise<void> {
  if (rows.length === 0) return;
  await db.execute(sql`insert into point_of_sale_staff (user_id, point_of_sale_id)
    values ${sql.join(rows.map((r) => sql`(${r.userId}, ${r.pointOfSaleId})`), sql`, `)}`);
}

export async function selectStaffEmails(db: DbOrTx, pointOfSaleId: number): Promise<string[]> {
  const rows = (await db.execute(sql`select u.email from point_of_sale_staff st join users u on u.id = st.user_id
    where st.point_of_sale_id = ${pointOfSaleId} and not u.disabled order by u.email`)) as unknown as Array<{ email: string }>;
  return rows.map((r) => r.email);
}

// ---- counter sales ----

export interface SaleStampRow {
  stampId: number;
  code: string;
  status: 'issued' | 'active' | 'sold' | 'verified' | 'voided';
  soldAt: Date | null;
  soldPlace: SoldPlace | null;
  runVoided: boolean;
  lotId: number;
  lotCode: string;
  lotRecalled: boolean;
  recallReason: string | null;
  productId: number;
  productSlug: string;
  nameVi: string;
  nameEn: string;
  productStatus: string;
  producerSuspended: boolean;
  certStatus: string | null;
}

/**
 * The stamp with what decides whether it may be sold, its row locked: a second sale of the same
 * stamp waits here and then reads it sold.
 */
export async function lockSaleStamp(db: DbOrTx, code: string): Promise<SaleStampRow | null> {
  const rows = (await db.execute(sql`
    select s.id as "stampId", s.code, s.status, s.sold_at as "soldAt", s.sold_place as "soldPlace", r.voided_at is not null as "runVoided",
      l.id as "lotId", l.code as "lotCode", (l.status = 'recalled' or l.recalled_at is not null) as "lotRecalled", l.recall_reason as "recallReason",
      p.id as "productId", p.slug as "productSlug", p.name_vi as "nameVi", p.name_en as "nameEn", p.status as "productStatus",
      pr.status = 'suspended' as "producerSuspended",
      (select c.status from certificates c where c.product_id = p.id and c.status <> 'superseded' order by c.issued_on desc, c.id desc limit 1) as "certStatus"
    from stamps s join stamp_runs r on r.id = s.run_id join lots l on l.id = s.lot_id
      join products p on p.id = l.product_id join producers pr on pr.id = p.producer_id
    where s.code = ${code}
    for update of s`)) as unknown as SaleStampRow[];
  const row = rows[0];
  return row ? { ...row, soldAt: row.soldAt ? new Date(row.soldAt) : null } : null;
}

export async function insertCounterSale(db: DbOrTx, row: { pointOfSaleId: number; stampId: number; productId: number; lotId: number; soldBy: number | null; soldAt: Date }): Promise<number> {
  const rows = (await db.execute(sql`insert into counter_sales (point_of_sale_id, stamp_id, product_id, lot_id, sold_by, sold_at)
    values (${row.pointOfSaleId}, ${row.stampId}, ${row.productId}, ${row.lotId}, ${row.soldBy}, ${row.soldAt.toISOString()}::timestamptz)
    on conflict (stamp_id) do nothing returning id`)) as unknown as Array<{ id: number }>;
  return rows.length ? Number(rows[0]!.id) : 0;
}

export interface CounterSaleRow {
  id: number;
  code: string;
  soldAt: Date;
  productSlug: string;
  nameVi: string;
  nameEn: string;
  lotCode: string;
  soldBy: string | null;
}

export async function selectRecentSales(db: DbOrTx, pointOfSaleId: number, limit: number): Promise<CounterSaleRow[]> {
  const rows = (await db.execute(sql`select cs.id, s.code, cs.sold_at as "soldAt", p.slug as "productSlug", p.name_vi as "nameVi", p.name_en as "nameEn",
      l.code as "lotCode", u.email as "soldBy"
    from counter_sales cs join stamps s on s.id = cs.stamp_id join products p on p.id = cs.product_id join lots l on l.id = cs.lot_id
      left join users u on u.id = cs.sold_by
    where cs.point_of_sale_id = ${pointOfSaleId} order by cs.sold_at desc, cs.id desc limit ${limit}`)) as unknown as CounterSaleRow[];
  return rows.map((r) => ({ ...r, id: Number(r.id), soldAt: new Date(r.soldAt) }));
}

export async function insertStaffUser(db: DbOrTx, u: { email: string; name: string; passwordHash: string }): Promise<number> {
  const rows = (await db.execute(sql`insert into users (email, name, password_hash, role) values (${u.email}, ${u.name}, ${u.passwordHash}, 'pos')
    returning id`)) as unknown as Array<{ id: number }>;
  return rows[0]!.id;
}
