import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { producers } from '../catalog/catalog.table.ts';

export interface CaptureError { eventIndex: number; eventID?: string; type: string; title: string; detail?: string }

/** EPCIS 2.0 capture jobs (REST binding: POST /capture → 202 + Location: /capture/<id>). */
export const epcisCaptureJobs = pgTable('epcis_capture_jobs', {
  id: text('id').primaryKey(),
  producerId: integer('producer_id').notNull().references(() => producers.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
  running: boolean('running').notNull().default(false),
  success: boolean('success').notNull(),
  captureErrorBehaviour: text('capture_error_behaviour').notNull().default('rollback'),
  eventCount: integer('event_count').notNull().default(0),
  capturedCount: integer('captured_count').notNull().default(0),
  errors: jsonb('errors').$type<CaptureError[]>().notNull().default(sql`'[]'::jsonb`),
}, (t) => [
  index('epcis_capture_jobs_producer_idx').on(t.producerId, t.createdAt),
  check('epcis_capture_jobs_behaviour_ck', sql`${t.captureErrorBehaviour} in ('rollback', 'proceed')`),
]);
