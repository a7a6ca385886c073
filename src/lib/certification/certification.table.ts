import { sql } from 'drizzle-orm';
import {
  boolean, check, date, index, integer, numeric, pgTable, text, timestamp, uniqueIndex, type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import { products } from '../catalog/catalog.table.ts';

export const AUTHORITY_LEVELS = ['commune', 'district', 'province', 'central'] as const;

/** One council's evaluation of a product (Decision 148/QĐ-TTg: 100-point scale, stars by band). */
export const evaluations = pgTable('evaluations', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  productId: integer('product_id').notNull().references(() => products.id),
  level: text('level', { enum: AUTHORITY_LEVELS }).notNull(),
  councilName: text('council_name'),
  evaluatedOn: date('evaluated_on', { mode: 'string' }).notNull(),
  /** Mean of the members' scores, two decimals. */
  score: numeric('score', { precision: 5, scale: 2, mode: 'number' }).notNull(),
  stars: integer('stars').notNull(),
  /** The star level's mandatory criteria were met (a product failing them is not certified). */
  mandatoryMet: boolean('mandatory_met').notNull().default(true),
  notes: text('notes'),
  /** Members appointed to the council (quorum: 75 % of them, chair included); null on records from before per-part scoring. */
  councilSize: integer('council_size'),
  createdBy: integer('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  index('evaluations_product_idx').on(t.productId, t.evaluatedOn),
  check('evaluations_score_ck', sql`${t.score} between 0 and 100`),
  check('evaluations_stars_ck', sql`${t.stars} between 1 and 5`),
  check('evaluations_level_ck', sql`${t.level} in ('commune','district','province','central')`),
]);

/** Each council member's score; members may not differ by more than 10 points (checked in the service). */
export const evaluationScores = pgTable('evaluation_scores', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  evaluationId: integer('evaluation_id').notNull().references(() => evaluations.id, { onDelete: 'cascade' }),
  memberName: text('member_name').notNull(),
  isChair: boolean('is_chair').notNull().default(false),
  score: numeric('score', { precision: 5, scale: 2, mode: 'number' }).notNull(),
  /** The member's score on each part of the score sheet (A ≤ 40, B ≤ 25, C ≤ 35); score is their sum. Null on older records. */
  partA: numeric('part_a', { precision: 5, scale: 2, mode: 'number' }),
  partB: numeric('part_b', { precision: 5, scale: 2, mode: 'number' }),
  partC: numeric('part_c', { precision: 5, scale: 2, mode: 'number' }),
}, (t) => [
  index('evaluation_scores_evaluation_idx').on(t.evaluationId),
  check('evaluation_scores_score_ck', sql`${t.score} between 0 and 100`),
]);

export const CERTIFICATE_STATUSES = ['active', 'superseded', 'revoked'] as const;

/**
 * An OCOP certificate. Valid 36 months from issue (Decision 148/QĐ-TTg); "expired" and
 * "expiring" are derived from valid_until, never stored. Renewals and upgrades insert a new row
 * that supersedes the old one, so the history stays whole.
 */
export const certificates = pgTable('certificates', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  productId: integer('product_id').notNull().references(() => products.id),
  evaluationId: integer('evaluation_id').references(() => evaluations.id),
  number: text('number').notNull(),
  decisionNumber: text('decision_number').notNull(),
  /** The authority as written on the certificate, e.g. "UBND huyện Hoằng Hóa". */
  authority: text('authority').notNull(),
  authorityLevel: text('authority_level', { enum: AUTHORITY_LEVELS }).notNull(),
  stars: integer('stars').notNull(),
  score: numeric('score', { precision: 5, scale: 2, mode: 'number' }),
  issuedOn: date('issued_on', { mode: 'string' }).notNull(),
  validUntil: date('valid_until', { mode: 'string' }).notNull(),
  status: text('status', { enum: CERTIFICATE_STATUSES }).notNull().default('active'),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
  /** The office's optional note beside the code (before codes existed: the whole reason, in Vietnamese). */
  revocationReason: text('revocation_reason'),
  /** Why, from a fixed list (revocation.ts, migration 0021). */
  revocationCode: text('revocation_code'),
  supersedesId: integer('supersedes_id').references((): AnyPgColumn => certificates.id),
  /** The expiry notice was queued (certs:notify), so it is sent once. */
  expiryNoticeQueuedAt: timestamp('expiry_notice_queued_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex('certificates_number_uq').on(t.number),
  index('certificates_product_idx').on(t.productId, t.issuedOn),
  index('certificates_valid_until_idx').on(t.validUntil),
  // Only 3★ and above are certified (Decision 148/QĐ-TTg).
  check('certificates_stars_ck', sql`${t.stars} between 3 and 5`),
  check('certificates_score_ck', sql`${t.score} is null or ${t.score} between 0 and 100`),
  check('certificates_dates_ck', sql`${t.validUntil} > ${t.issuedOn}`),
  check('certificates_status_ck', sql`${t.status} in ('active','superseded','revoked')`),
  check('certificates_level_ck', sql`${t.authorityLevel} in ('commune','district','province','central')`),
  check('certificates_revoked_ck', sql`(${t.status} = 'revoked') = (${t.revokedAt} is not null and (${t.revocationCode} is not null or ${t.revocationReason} is not null))`),
  check('certificates_revocation_code_ck', sql`${t.revocationCode} is null or ${t.revocationCode} in ('packaging_label','quality','process','food_safety','records','mandatory_criteria','expired_no_reevaluation','ceased_operating','other')`),
]);
