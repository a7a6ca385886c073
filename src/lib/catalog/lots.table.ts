import { sql } from 'drizzle-orm';
import { check, date, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { products } from './catalog.table.ts';

export interface EvidenceDocument {
  type: string;
  /** As written on the document (usually Vietnamese). */
  title: string;
  /** The title in English for English pages, when known (the demo's test reports). */
  titleEn?: string;
  url: string;
  issuedBy?: string;
  issuedOn?: string;
}

export const LOT_STATUSES = ['draft', 'released', 'recalled'] as const;

/** A production lot (lô). */
export const lots = pgTable('lots', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  productId: integer('product_id').notNull().references(() => products.id),
  code: text('code').notNull(),
  producedOn: date('produced_on', { mode: 'string' }).notNull(),
  bestBefore: date('best_before', { mode: 'string' }),
  quantity: integer('quantity').notNull(),
  materialAreaVi: text('material_area_vi'),
  materialAreaEn: text('material_area_en'),
  /** Mã số vùng trồng (growing-area code). */
  growingAreaCode: text('growing_area_code'),
  harvestedOn: date('harvested_on', { mode: 'string' }),
  documents: jsonb('documents').$type<EvidenceDocument[]>().notNull().default(sql`'[]'::jsonb`),
  status: text('status', { enum: LOT_STATUSES }).notNull().default('released'),
  recallReason: text('recall_reason'),
  /** Set when the lot is recalled (migration 0016): the one test of "recalled" for sale and provenance. */
  recalledAt: timestamp('recalled_at', { withTimezone: true }),
  /** Who recalled it: "office:<email>" or "producer:<email>" (src/lib/monitoring). */
  recalledBy: text('recalled_by'),
  /** The inspection whose decision recalled it, if any. */
  recallInspectionId: integer('recall_inspection_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex('lots_product_code_uq').on(t.productId, t.code),
  index('lots_product_idx').on(t.productId, t.producedOn),
  check('lots_quantity_ck', sql`${t.quantity} >= 0`),
  check('lots_dates_ck', sql`${t.bestBefore} is null or ${t.bestBefore} >= ${t.producedOn}`),
  check('lots_code_ck', sql`${t.code} ~ '^[!-~]{1,20}$'`),
  check('lots_status_ck', sql`${t.status} in ('draft','released','recalled')`),
]);
