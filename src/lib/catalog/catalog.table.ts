import { sql } from 'drizzle-orm';
import {
  boolean, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex,
} from 'drizzle-orm/pg-core';

/** The 34 provincial units since 1 July 2025 (Resolution 202/2025/QH15); loaded from data/ at start-up. */
export const provinces = pgTable('provinces', {
  code: text('code').primaryKey(),
  nameVi: text('name_vi').notNull(),
  nameEn: text('name_en').notNull(),
  isCity: boolean('is_city').notNull().default(false),
  /** Provinces merged into this one, as written before 1 July 2025. */
  formerly: text('formerly').array().notNull().default(sql`'{}'::text[]`),
});

/** The six OCOP groups (ngành hàng) of Decision 148/QĐ-TTg, Annex I. */
export const productGroups = pgTable('product_groups', {
  code: text('code').primaryKey(),
  nameVi: text('name_vi').notNull(),
  nameEn: text('name_en').notNull(),
  position: integer('position').notNull().default(0),
});

/** The 26 product sets (bộ sản phẩm), each in one group. */
export const productSubgroups = pgTable('product_subgroups', {
  code: text('code').primaryKey(),
  groupCode: text('group_code').notNull().references(() => productGroups.code),
  nameVi: text('name_vi').notNull(),
  nameEn: text('name_en').notNull(),
  categoryVi: text('category_vi'),
  position: integer('position').notNull().default(0),
}, (t) => [index('product_subgroups_group_idx').on(t.groupCode)]);

export const PRODUCER_TYPES = ['enterprise', 'cooperative', 'cooperative_group', 'household', 'farm'] as const;
export const PRODUCER_STATUSES = ['pending', 'verified', 'suspended'] as const;

export const producers = pgTable('producers', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  slug: text('slug').notNull(),
  name: text('name').notNull(),
  type: text('type', { enum: PRODUCER_TYPES }).notNull(),
  /** Mã số thuế: 10 digits, or 10 + 3 for a branch. */
  taxCode: text('tax_code'),
  provinceCode: text('province_code').notNull().references(() => provinces.code),
  commune: text('commune'),
  addressLine: text('address_line'),
  /** The address as written before the 2025 merger, e.g. "huyện Tây Sơn, tỉnh Bình Định". */
  historicalAddress: text('historical_address'),
  storyVi: text('story_vi'),
  storyEn: text('story_en'),
  phone: text('phone'),
  email: text('email'),
  website: text('website'),
  /** Bank account for payouts (VietQR BIN + account number). */
  bankBin: text('bank_bin'),
  bankAccount: text('bank_account'),
  bankAccountName: text('bank_account_name'),
  status: text('status', { enum: PRODUCER_STATUSES }).notNull().default('pending'),
  /** When and why the office suspended it (null unless suspended): stamps stay genuine, provenance pages say so. */
  suspendedAt: timestamp('suspended_at', { withTimezone: true }),
  suspensionReason: text('suspension_reason'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex('producers_slug_uq').on(t.slug),
  uniqueIndex('producers_tax_code_uq').on(t.taxCode),
  index('producers_province_idx').on(t.provinceCode),
  check('producers_slug_ck', sql`${t.slug} ~ '^[a-z0-9]+(-[a-z0-9]+)*$'`),
  check('producers_tax_code_ck', sql`${t.taxCode} is null or ${t.taxCode} ~ '^[0-9]{10}(-[0-9]{3})?$'`),
  check('producers_type_ck', sql`${t.type} in ('enterprise','cooperative','cooperative_group','household','farm')`),
  check('producers_status_ck', sql`${t.status} in ('pending','verified','suspended')`),
  check('producers_bank_bin_ck', sql`${t.bankBin} is null or ${t.bankBin} ~ '^[0-9]{6}$'`),
]);

export const PRODUCT_STATUSES = ['draft', 'published', 'archived'] as const;
/** A product a producer creates waits for the office's approval before it can go public. */
export const PRODUCT_APPROVALS = ['pending', 'approved', 'rejected'] as const;
export const PRODUCT_KINDS = ['goods', 'experience'] as const;

export interface ProductImage {
  url: string;
  width: number;
  height: number;
  altVi: string;
  altEn: string;
}

export const products = pgTable('products', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  slug: text('slug').notNull(),
  producerId: integer('producer_id').notNull().references(() => producers.id),
  groupCode: text('group_code').notNull().references(() => productGroups.code),
  subgroupCode: text('subgroup_code').notNull().references(() => productSubgroups.code),
  /** Goods have stock; community tourism experiences (group "tourism") are booked, not stocked. */
  kind: text('kind', { enum: PRODUCT_KINDS }).notNull().default('goods'),
  nameVi: text('name_vi').notNull(),
  nameEn: text('name_en').notNull(),
  descriptionVi: text('description_vi').notNull().default(''),
  descriptionEn: text('description_en').notNull().default(''),
  storyVi: text('story_vi').notNull().default(''),
  storyEn: text('story_en').notNull().default(''),
  /** Integer đồng. */
  price: integer('price').notNull(),
  unitVi: text('unit_vi').notNull(),
  unitEn: text('unit_en').notNull(),
  weightGrams: integer('weight_grams').notNull().default(0),
  /** Units on hand that are neither reserved nor sold. */
  stock: integer('stock').notNull().default(0),
  /** Units held by unpaid orders; stock + reserved + sold is conserved. */
  reserved: integer('reserved').notNull().default(0),
  /** GS1 GTIN-13 (or 8/12/14) with a valid check digit. */
  gtin: text('gtin'),
  images: jsonb('images').$type<ProductImage[]>().notNull().default(sql`'[]'::jsonb`),
  /** Applied standards: TCVN/QCVN, VietGAP, organic… (Circular 02/2024/TT-BKHCN). */
  standards: text('standards').array().notNull().default(sql`'{}'::text[]`),
  status: text('status', { enum: PRODUCT_STATUSES }).notNull().default('draft'),
  featured: boolean('featured').notNull().default(false),
  approval: text('approval', { enum: PRODUCT_APPROVALS }).notNull().default('approved'),
  approvalNote: text('approval_note'),
  approvedAt: timestamp('approved_at', { withTimezone: true }),
  approvedBy: text('approved_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  publishedAt: timestamp('published_at', { withTimezone: true }),
}, (t) => [
  uniqueIndex('products_slug_uq').on(t.slug),
  uniqueIndex('products_gtin_uq').on(t.gtin),
  index('products_producer_idx').on(t.producerId),
  index('products_group_idx').on(t.groupCode, t.subgroupCode),
  index('products_status_idx').on(t.status, t.publishedAt),
  check('products_slug_ck', sql`${t.slug} ~ '^[a-z0-9]+(-[a-z0-9]+)*$'`),
  check('products_price_ck', sql`${t.price} >= 0`),
  check('products_stock_ck', sql`${t.stock} >= 0`),
  check('products_reserved_ck', sql`${t.reserved} >= 0`),
  check('products_weight_ck', sql`${t.weightGrams} >= 0`),
  check('products_gtin_ck', sql`${t.gtin} is null or ${t.gtin} ~ '^([0-9]{8}|[0-9]{12,14})$'`),
  check('products_status_ck', sql`${t.status} in ('draft','published','archived')`),
  check('products_kind_ck', sql`${t.kind} in ('goods','experience')`),
  check('products_approval_ck', sql`${t.approval} in ('pending','approved','rejected')`),
  index('products_approval_idx').on(t.approval, t.createdAt).where(sql`${t.approval} <> 'approved'`),
]);

export const COMBO_STATUSES = ['draft', 'published', 'archived'] as const;
/** Tết, Mid-Autumn, a souvenir of a place, or any gift. */
export const COMBO_OCCASIONS = ['tet', 'trung_thu', 'souvenir', 'gift'] as const;
export type ComboOccasion = (typeof COMBO_OCCASIONS)[number];

/** Gift combos bundle products, possibly from several producers, at a combo price. */
export const combos = pgTable('combos', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  slug: text('slug').notNull(),
  nameVi: text('name_vi').notNull(),
  nameEn: text('name_en').notNull(),
  descriptionVi: text('description_vi').notNull().default(''),
  descriptionEn: text('description_en').notNull().default(''),
  price: integer('price').notNull(),
  /** An uploaded picture: it has priority over the composite. */
  image: jsonb('image').$type<ProductImage | null>(),
  /** Composed from the components' pictures (lib/catalog/combo-image.ts), redone when the components change. */
  compositeImage: jsonb('composite_image').$type<ProductImage | null>(),
  status: text('status', { enum: COMBO_STATUSES }).notNull().default('draft'),
  featured: boolean('featured').notNull().default(false),
  /**
   * Who packs and ships the box (one parcel, one fee): a producer or a point of sale, at most one
   * of the two (combos_one_assembler_ck, migration 0020). Neither: the producer of the first component.
   */
  assemblerProducerId: integer('assembler_producer_id').references(() => producers.id),
  /** A point of sale packing the box (points_of_sale.id; the FK is in SQL, places.table imports this file). */
  assemblerPointId: integer('assembler_point_id'),
  /** The producer that built it in its dashboard; null for the office's combos across producers. */
  ownerProducerId: integer('owner_producer_id').references(() => producers.id),
  /** The point of sale whose staff built it (at most one owner, combos_one_owner_ck). */
  ownerPointId: integer('owner_point_id'),
  occasion: text('occasion', { enum: COMBO_OCCASIONS }).notNull().default('gift'),
  /** For a souvenir: the place it remembers (e.g. "Phố cổ Hội An"). */
  place: text('place'),
  storyVi: text('story_vi').notNull().default(''),
  storyEn: text('story_en').notNull().default(''),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex('combos_slug_uq').on(t.slug),
  index('combos_owner_idx').on(t.ownerProducerId),
  check('combos_occasion_ck', sql`${t.occasion} in ('tet','trung_thu','souvenir','gift')`),
  check('combos_slug_ck', sql`${t.slug} ~ '^[a-z0-9]+(-[a-z0-9]+)*$'`),
  check('combos_price_ck', sql`${t.price} >= 0`),
  check('combos_status_ck', sql`${t.status} in ('draft','published','archived')`),
  check('combos_one_assembler_ck', sql`num_nonnulls(${t.assemblerProducerId}, ${t.assemblerPointId}) <= 1`),
  check('combos_one_owner_ck', sql`num_nonnulls(${t.ownerProducerId}, ${t.ownerPointId}) <= 1`),
]);

export const comboItems = pgTable('combo_items', {
  comboId: integer('combo_id').notNull().references(() => combos.id, { onDelete: 'cascade' }),
  productId: integer('product_id').notNull().references(() => products.id),
  qty: integer('qty').notNull(),
}, (t) => [
  primaryKey({ columns: [t.comboId, t.productId] }),
  index('combo_items_product_idx').on(t.productId),
  check('combo_items_qty_ck', sql`${t.qty} > 0`),
]);
