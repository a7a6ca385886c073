import { bigint, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * Transactional outbox: written in the same transaction as the change it announces, delivered
 * later by a worker (search indexing, notifications). `dedupeKey` makes "exactly once per thing"
 * queues (certificate expiry notices) a unique-index question.
 */
export const outbox = pgTable('outbox', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  topic: text('topic').notNull(),
  payload: jsonb('payload').notNull(),
  dedupeKey: text('dedupe_key'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  availableAt: timestamp('available_at', { withTimezone: true }).notNull().defaultNow(),
  attempts: integer('attempts').notNull().default(0),
  processedAt: timestamp('processed_at', { withTimezone: true }),
  lastError: text('last_error'),
}, (t) => [
  uniqueIndex('outbox_dedupe_uq').on(t.dedupeKey),
  index('outbox_pending_idx').on(t.availableAt, t.id),
]);
