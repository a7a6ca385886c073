import { sql } from 'drizzle-orm';
import { bigint, check, doublePrecision, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { products, provinces } from '../catalog/catalog.table.ts';
import { lots } from '../catalog/lots.table.ts';
import { stamps } from '../stamps/stamps.table.ts';
import { users } from '../auth/auth.table.ts';

/** The places where OCOP products are shown and sold in person (DESIGN.md §1 "point of sale"). */
export const POINT_OF_SALE_KINDS = ['ocop_shop', 'showroom', 'hotel', 'airport', 'tourist_site', 'supermarket'] as const;
export type PointOfSaleKind = (typeof POINT_OF_SALE_KINDS)[number];

export const pointsOfSale = pgTable('points_of_sale', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  slug: text('slug').notNull(),
  kind: text('kind', { enum: POINT_OF_SALE_KINDS }).notNull(),
  nameVi: text('name_vi').notNull(),
  nameEn: text('name_en').notNull(),
  descriptionVi: text('description_vi').notNull().default(''),
  descriptionEn: text('description_en').notNull().default(''),
  /** One of the 34 provinces since 1 July 2025, and the commune (no district level). */
  provinceCode: text('province_code').notNull().references(() => provinces.code),
  commune: text('commune').notNull(),
  addressLine: text('address_line').notNull(),
  /** The address as written before the 2025 reorganisation, e.g. "phường Minh An, TP Hội An, tỉnh Quảng Nam". */
  historicalAddress: text('historical_address'),
  hoursVi: text('hours_vi').notNull().default(''),
  hoursEn: text('hours_en').notNull().default(''),
  phone: text('phone'),
  latitude: doublePrecision('latitude'),
  longitude: doublePrecision('longitude'),
  status: text('status', { enum: ['open', 'closed'] }).notNull().default('open'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex('points_of_sale_slug_uq').on(t.slug),
  index('points_of_sale_province_idx').on(t.provinceCode, t.kind),
  check('points_of_sale_slug_ck', sql`${t.slug} ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(${t.slug}) <= 80`),
  check('points_of_sale_kind_ck', sql`${t.kind} IN ('ocop_shop','showroom','hotel','airport','tourist_site','supermarket')`),
  check('points_of_sale_status_ck', sql`${t.status} IN ('open','closed')`),
  check('points_of_sale_coords_ck', sql`(${t.latitude} IS NULL) = (${t.longitude} IS NULL)
    AND (${t.latitude} IS NULL OR (${t.latitude} BETWEEN -90 AND 90 AND ${t.longitude} BETWEEN -180 AND 180))`),
]);

/** What a point of sale stocks. */
export const pointOfSaleProducts = pgTable('point_of_sale_products', {
  pointOfSaleId: integer('point_of_sale_id').notNull().references(() => pointsOfSale.id, { onDelete: 'cascade' }),
  productId: integer('product_id').notNull().references(() => products.id),
}, (t) => [
  primaryKey({ columns: [t.pointOfSaleId, t.productId] }),
  index('point_of_sale_products_product_idx').on(t.productId),
]);

/** Counter staff: an account with role 'pos' works for exactly one point of sale. */
export const pointOfSaleStaff = pgTable('point_of_sale_staff', {
  userId: integer('user_id').primaryKey().references(() => users.id, { onDelete: 'cascade' }),
  pointOfSaleId: integer('point_of_sale_id').notNull().references(() => pointsOfSale.id),
}, (t) => [index('point_of_sale_staff_pos_idx').on(t.pointOfSaleId)]);

/** One stamped item sold at a counter; the unique stamp makes "sold once" hold whatever races. */
export const counterSales = pgTable('counter_sales', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  pointOfSaleId: integer('point_of_sale_id').notNull().references(() => pointsOfSale.id),
  stampId: bigint('stamp_id', { mode: 'number' }).notNull().references(() => stamps.id),
  productId: integer('product_id').notNull().references(() => products.id),
  lotId: integer('lot_id').notNull().references(() => lots.id),
  soldBy: integer('sold_by').references(() => users.id, { onDelete: 'set null' }),
  soldAt: timestamp('sold_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex('counter_sales_stamp_uq').on(t.stampId),
  index('counter_sales_pos_idx').on(t.pointOfSaleId, t.soldAt),
]);
