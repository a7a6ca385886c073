import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, numeric, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { producers, productSubgroups, products, provinces } from '../catalog/catalog.table.ts';
import { certificates, evaluations } from '../certification/certification.table.ts';

/** An evaluation round of a province's council (two a year in the seed plans). */
export const evaluationRounds = pgTable('evaluation_rounds', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  provinceCode: text('province_code').notNull().references(() => provinces.code),
  year: integer('year').notNull(),
  half: integer('half').notNull(),
  name: text('name').notNull(),
  status: text('status', { enum: ['open', 'closed'] }).notNull().default('open'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex('evaluation_rounds_uq').on(t.provinceCode, t.year, t.half),
  check('evaluation_rounds_year_ck', sql`${t.year} between 2018 and 2100`),
  check('evaluation_rounds_half_ck', sql`${t.half} in (1, 2)`),
  check('evaluation_rounds_status_ck', sql`${t.status} in ('open', 'closed')`),
]);

export const DOSSIER_KINDS = ['first', 'renewal', 'upgrade'] as const;
export const DOSSIER_STATUSES = ['submitted', 'returned', 'accepted', 'rejected', 'evaluated', 'forwarded', 'not_certified', 'certified'] as const;
export type DossierStatus = (typeof DOSSIER_STATUSES)[number];

/** A producer's application for a product's evaluation (hồ sơ đề nghị đánh giá, phân hạng). */
export const dossiers = pgTable('dossiers', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  producerId: integer('producer_id').notNull().references(() => producers.id),
  productId: integer('product_id').notNull().references(() => products.id),
  kind: text('kind', { enum: DOSSIER_KINDS }).notNull(),
  /** The product set (bộ sản phẩm) whose score sheet applies. */
  subgroupCode: text('subgroup_code').notNull().references(() => productSubgroups.code),
  status: text('status', { enum: DOSSIER_STATUSES }).notNull().default('submitted'),
  selfA: numeric('self_a', { precision: 5, scale: 2, mode: 'number' }).notNull(),
  selfB: numeric('self_b', { precision: 5, scale: 2, mode: 'number' }).notNull(),
  selfC: numeric('self_c', { precision: 5, scale: 2, mode: 'number' }).notNull(),
  note: text('note'),
  /** The office's last comment (why it was returned or rejected). */
  officeComment: text('office_comment'),
  roundId: integer('round_id').references(() => evaluationRounds.id),
  evaluationId: integer('evaluation_id').references(() => evaluations.id),
  certificateId: integer('certificate_id').references(() => certificates.id),
  submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull().defaultNow(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  index('dossiers_status_idx').on(t.status, t.submittedAt),
  index('dossiers_producer_idx').on(t.producerId, t.createdAt),
  check('dossiers_kind_ck', sql`${t.kind} in ('first', 'renewal', 'upgrade')`),
  check('dossiers_status_ck', sql`${t.status} in ('submitted', 'returned', 'accepted', 'rejected', 'evaluated', 'forwarded', 'not_certified', 'certified')`),
  check('dossiers_self_ck', sql`${t.selfA} between 0 and 40 and ${t.selfB} between 0 and 25 and ${t.selfC} between 0 and 35`),
  check('dossiers_round_ck', sql`${t.status} in ('submitted', 'returned', 'rejected') or ${t.roundId} is not null`),
]);

export const DOCUMENT_KINDS = ['business_registration', 'standards_declaration', 'test_report', 'label_packaging', 'story', 'three_year_report', 'other'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export const dossierDocuments = pgTable('dossier_documents', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  dossierId: integer('dossier_id').notNull().references(() => dossiers.id, { onDelete: 'cascade' }),
  kind: text('kind', { enum: DOCUMENT_KINDS }).notNull(),
  url: text('url').notNull(),
  fileKind: text('file_kind', { enum: ['pdf', 'image'] }).notNull(),
  fileName: text('file_name').notNull(),
  uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  index('dossier_documents_dossier_idx').on(t.dossierId),
  check('dossier_documents_kind_ck', sql`${t.kind} in ('business_registration', 'standards_declaration', 'test_report', 'label_packaging', 'story', 'three_year_report', 'other')`),
  check('dossier_documents_file_kind_ck', sql`${t.fileKind} in ('pdf', 'image')`),
]);

/** Every step of a dossier, with who and when (also in the audit log). */
export const dossierEvents = pgTable('dossier_events', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  dossierId: integer('dossier_id').notNull().references(() => dossiers.id, { onDelete: 'cascade' }),
  action: text('action').notNull(),
  status: text('status').notNull(),
  comment: text('comment'),
  actorUserId: integer('actor_user_id'),
  actorEmail: text('actor_email'),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('dossier_events_dossier_idx').on(t.dossierId, t.id)]);

/** The commune's assessment on its four criteria, attached before the council scores (Decision 1489/QĐ-TTg). */
export const communeAssessments = pgTable('commune_assessments', {
  dossierId: integer('dossier_id').primaryKey().references(() => dossiers.id, { onDelete: 'cascade' }),
  commune: text('commune').notNull(),
  assessedOn: date('assessed_on', { mode: 'string' }).notNull(),
  rawMaterialsMet: boolean('raw_materials_met').notNull(),
  rawMaterialsNote: text('raw_materials_note'),
  labourMet: boolean('labour_met').notNull(),
  labourNote: text('labour_note'),
  ideaMet: boolean('idea_met').notNull(),
  ideaNote: text('idea_note'),
  identityMet: boolean('identity_met').notNull(),
  identityNote: text('identity_note'),
  recordedBy: integer('recorded_by'),
  recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * A plan's yearly targets for an area: a province, one of its communes, or a former district
 * kept as written (`legacy_area`, e.g. "huyện Tây Sơn"), matched against producers' historical
 * addresses. Actual figures are never stored: they are computed from the records.
 */
export const programmePlans = pgTable('programme_plans', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  provinceCode: text('province_code').notNull().references(() => provinces.code),
  commune: text('commune'),
  legacyArea: text('legacy_area'),
  areaName: text('area_name').notNull(),
  year: integer('year').notNull(),
  targetProducts: integer('target_products'),
  targetFirst: integer('target_first'),
  targetUpgrades: integer('target_upgrades'),
  targetRenewals: integer('target_renewals'),
  targetCooperatives: integer('target_cooperatives'),
  targetPointsOfSale: integer('target_points_of_sale'),
  targetFairs: integer('target_fairs'),
  targetTrained: integer('target_trained'),
  note: text('note'),
  createdBy: integer('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex('programme_plans_area_year_uq').on(t.provinceCode, sql`(coalesce(${t.commune}, ''))`, sql`(coalesce(${t.legacyArea}, ''))`, t.year),
  check('programme_plans_year_ck', sql`${t.year} between 2018 and 2100`),
]);

/** A trade fair or a training course, counted by the plans (participants = producers trained). */
export const programmeEvents = pgTable('programme_events', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  kind: text('kind', { enum: ['fair', 'training'] }).notNull(),
  title: text('title').notNull(),
  heldOn: date('held_on', { mode: 'string' }).notNull(),
  provinceCode: text('province_code').notNull().references(() => provinces.code),
  commune: text('commune'),
  legacyArea: text('legacy_area'),
  participants: integer('participants').notNull().default(0),
  createdBy: integer('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  index('programme_events_year_idx').on(t.provinceCode, t.heldOn),
  check('programme_events_kind_ck', sql`${t.kind} in ('fair', 'training')`),
  check('programme_events_participants_ck', sql`${t.participants} between 0 and 1000000`),
]);
