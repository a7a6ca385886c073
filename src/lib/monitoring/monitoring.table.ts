import { sql } from 'drizzle-orm';
import { check, date, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { producers, products } from '../catalog/catalog.table.ts';
import { lots, type EvidenceDocument } from '../catalog/lots.table.ts';

export const INSPECTION_OUTCOMES = ['compliant', 'warning', 'violation'] as const;
export const INSPECTION_DECISIONS = ['warning', 'lot_recall', 'revocation'] as const;
export const REPORT_CATEGORIES = ['counterfeit', 'quality', 'label', 'other'] as const;
export const REPORT_STATUSES = ['new', 'reviewing', 'resolved', 'dismissed'] as const;

/**
 * An inspection after certification ("kiểm tra việc duy trì điều kiện và chất lượng"): a
 * violation leads to one recorded decision (warning, lot recall or revocation).
 */
export const inspections = pgTable('inspections', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  producerId: integer('producer_id').notNull().references(() => producers.id),
  productId: integer('product_id').references(() => products.id),
  lotId: integer('lot_id').references(() => lots.id),
  inspectedOn: date('inspected_on', { mode: 'string' }).notNull(),
  inspectors: text('inspectors').array().notNull(),
  findings: text('findings').notNull(),
  documents: jsonb('documents').$type<EvidenceDocument[]>().notNull().default(sql`'[]'::jsonb`),
  outcome: text('outcome', { enum: INSPECTION_OUTCOMES }).notNull(),
  decision: text('decision', { enum: INSPECTION_DECISIONS }),
  decisionNote: text('decision_note'),
  decidedAt: timestamp('decided_at', { withTimezone: true }),
  decidedBy: text('decided_by'),
  createdBy: text('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  index('inspections_producer_idx').on(t.producerId, t.inspectedOn),
  index('inspections_open_idx').on(t.inspectedOn).where(sql`${t.outcome} = 'violation' AND ${t.decision} IS NULL`),
  check('inspections_outcome_ck', sql`${t.outcome} in ('compliant','warning','violation')`),
  check('inspections_decision_ck', sql`${t.decision} is null or (${t.outcome} = 'violation' and ${t.decision} in ('warning','lot_recall','revocation'))`),
  check('inspections_decided_ck', sql`(${t.decision} is null) = (${t.decidedAt} is null)`),
  check('inspections_inspectors_ck', sql`cardinality(${t.inspectors}) between 1 and 20`),
]);

/** A problem reported by the public about a product (optionally a lot or stamp). The contact is for the office only. */
export const publicReports = pgTable('public_reports', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  productId: integer('product_id').notNull().references(() => products.id),
  lotId: integer('lot_id').references(() => lots.id),
  stampCode: text('stamp_code'),
  category: text('category', { enum: REPORT_CATEGORIES }).notNull(),
  body: text('body').notNull(),
  photoUrl: text('photo_url'),
  contact: text('contact'),
  locale: text('locale').notNull().default('vi'),
  /** The reporter's network prefix (IPv4 /16, IPv6 /32), never the address. */
  clientNetwork: text('client_network'),
  status: text('status', { enum: REPORT_STATUSES }).notNull().default('new'),
  officeNote: text('office_note'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  index('public_reports_status_idx').on(t.status, t.createdAt),
  index('public_reports_product_idx').on(t.productId, t.createdAt),
  check('public_reports_category_ck', sql`${t.category} in ('counterfeit','quality','label','other')`),
  check('public_reports_status_ck', sql`${t.status} in ('new','reviewing','resolved','dismissed')`),
  check('public_reports_body_ck', sql`char_length(${t.body}) between 1 and 4000`),
]);
