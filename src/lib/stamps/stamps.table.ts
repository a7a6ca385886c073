import { sql } from 'drizzle-orm';
import { bigint, check, date, index, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { producers, products } from '../catalog/catalog.table.ts';
import { lots } from '../catalog/lots.table.ts';

export interface SoldPlace {
  slug: string;
  nameVi: string;
  nameEn: string;
  provinceCode: string;
}

/** A print run of stamps for one lot. */
export const stampRuns = pgTable('stamp_runs', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  lotId: integer('lot_id').notNull().references(() => lots.id),
  productId: integer('product_id').notNull().references(() => products.id),
  count: integer('count').notNull(),
  note: text('note'),
  createdBy: integer('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  voidedAt: timestamp('voided_at', { withTimezone: true }),
  voidReason: text('void_reason'),
}, (t) => [
  index('stamp_runs_lot_idx').on(t.lotId),
  index('stamp_runs_product_idx').on(t.productId),
  check('stamp_runs_count_ck', sql`${t.count} > 0`),
]);

/** issued → active (lot released) → sold → verified (first owner confirmed with the scratch-off PIN); voided at any point. */
export const STAMP_STATUSES = ['issued', 'active', 'sold', 'verified', 'voided'] as const;

/** One printed stamp; `code` is the normalised serial (random bits + keyed check). */
export const stamps = pgTable('stamps', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  code: text('code').notNull(),
  runId: integer('run_id').notNull().references(() => stampRuns.id),
  lotId: integer('lot_id').notNull().references(() => lots.id),
  status: text('status', { enum: STAMP_STATUSES }).notNull().default('issued'),
  /** Scratch-off PIN, hashed; single use. */
  pinHash: text('pin_hash'),
  pinUsedAt: timestamp('pin_used_at', { withTimezone: true }),
  pinAttempts: smallint('pin_attempts').notNull().default(0),
  scanCount: integer('scan_count').notNull().default(0),
  /** Distinct calendar days (Vietnam time) with at least one scan: a cloned stamp shows up on many days. */
  scanDays: integer('scan_days').notNull().default(0),
  /** Distinct client networks that scanned it, and the most in one day: the clone evidence (lib/trace verdict.ts). */
  scanNetworks: integer('scan_networks').notNull().default(0),
  scanPeakNetworks: integer('scan_peak_networks').notNull().default(0),
  firstScannedAt: timestamp('first_scanned_at', { withTimezone: true }),
  lastScannedAt: timestamp('last_scanned_at', { withTimezone: true }),
  soldAt: timestamp('sold_at', { withTimezone: true }),
  /** Where it was sold at a counter (a snapshot: slug and names of the point of sale, its province). */
  soldPlace: jsonb('sold_place').$type<SoldPlace>(),
  voidedAt: timestamp('voided_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex('stamps_code_uq').on(t.code),
  index('stamps_run_idx').on(t.runId),
  index('stamps_lot_idx').on(t.lotId),
  check('stamps_status_ck', sql`${t.status} in ('issued','active','sold','verified','voided')`),
  check('stamps_code_ck', sql`${t.code} ~ '^[0-9A-Z]{12,32}$'`),
  check('stamps_scan_count_ck', sql`${t.scanCount} >= 0`),
  check('stamps_scan_days_ck', sql`${t.scanDays} >= 0 and ${t.scanDays} <= ${t.scanCount}`),
]);

/** Every scan of a stamp page; never a full IP address (coarse prefix only). */
export const scans = pgTable('scans', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  stampId: bigint('stamp_id', { mode: 'number' }).references(() => stamps.id),
  /**
   * The stamp's producer, copied at insert (the scan writer joins it; a trigger fills it for any
   * other writer) so a producer's scan report reads its own scans by index instead of probing
   * every one of its stamps.
   */
  producerId: integer('producer_id').references(() => producers.id),
  scannedAt: timestamp('scanned_at', { withTimezone: true }).notNull().defaultNow(),
  verdict: text('verdict').notNull(),
  /** e.g. "203.113.0.0/16" or "2001:ee0::/32". */
  networkPrefix: text('network_prefix'),
  /** Coarse client info: browser family and OS, language. */
  client: text('client'),
  language: text('language'),
  source: text('source').notNull().default('qr'),
}, (t) => [
  index('scans_stamp_idx').on(t.stampId, t.scannedAt),
  index('scans_time_idx').on(t.scannedAt),
  index('scans_producer_time_idx').on(t.producerId, t.scannedAt),
]);

/**
 * The distinct client networks that scanned a stamp, per Vietnam day ('?' when unknown): filled by
 * a trigger on every insert into scans (migration 0023), read by the scan writer to recount the
 * stamp's clone evidence without re-reading its scans.
 */
export const stampScanNetworks = pgTable('stamp_scan_networks', {
  stampId: bigint('stamp_id', { mode: 'number' }).notNull().references(() => stamps.id),
  day: date('day').notNull(),
  network: text('network').notNull(),
}, (t) => [primaryKey({ name: 'stamp_scan_networks_pk', columns: [t.stampId, t.day, t.network] })]);
