import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { producers, products } from '../catalog/catalog.table.ts';

/**
 * Every e-mail and SMS the site sends is a row (migration 0017): written from the outbox message
 * of the change that caused it, unique per `dedupe_key` (one message per cause, recipient and
 * channel), delivered by the worker in messages.delivery.ts. `stored`: no transport was
 * configured, kept for /admin/messages; `suppressed`: the recipient unsubscribed.
 */
export const MESSAGE_STATUSES = ['queued', 'sending', 'sent', 'failed', 'stored', 'suppressed'] as const;
export const MESSAGE_CHANNELS = ['email', 'sms'] as const;
export const MESSAGE_AUDIENCES = ['customer', 'producer', 'office'] as const;

export const messages = pgTable('messages', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  kind: text('kind').notNull(),
  audience: text('audience', { enum: MESSAGE_AUDIENCES }).notNull(),
  channel: text('channel', { enum: MESSAGE_CHANNELS }).notNull(),
  recipient: text('recipient').notNull(),
  locale: text('locale', { enum: ['vi', 'en'] }).notNull().default('vi'),
  subject: text('subject').notNull(),
  bodyText: text('body_text').notNull(),
  bodyHtml: text('body_html'),
  transactional: boolean('transactional').notNull().default(true),
  dedupeKey: text('dedupe_key').notNull(),
  ref: text('ref'),
  status: text('status', { enum: MESSAGE_STATUSES }).notNull().default('queued'),
  attempts: integer('attempts').notNull().default(0),
  nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
  claimedUntil: timestamp('claimed_until', { withTimezone: true }),
  uncertainSends: integer('uncertain_sends').notNull().default(0),
  providerMessageId: text('provider_message_id'),
  lastError: text('last_error'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  sentAt: timestamp('sent_at', { withTimezone: true }),
}, (t) => [
  uniqueIndex('messages_dedupe_uq').on(t.dedupeKey),
  index('messages_due_idx').on(t.nextAttemptAt, t.id).where(sql`${t.status} in ('queued', 'sending')`),
  index('messages_created_idx').on(t.createdAt.desc(), t.id.desc()),
  index('messages_recipient_idx').on(t.recipient, t.createdAt.desc()),
  check('messages_channel_ck', sql`${t.channel} in ('email', 'sms')`),
  check('messages_audience_ck', sql`${t.audience} in ('customer', 'producer', 'office')`),
  check('messages_status_ck', sql`${t.status} in ('queued', 'sending', 'sent', 'failed', 'stored', 'suppressed')`),
  check('messages_locale_ck', sql`${t.locale} in ('vi', 'en')`),
  check('messages_attempts_ck', sql`${t.attempts} >= 0 and ${t.uncertainSends} >= 0`),
]);

/** A producer's channels for its notices; no row means e-mail only. */
export const messagePreferences = pgTable('message_preferences', {
  producerId: integer('producer_id').primaryKey().references(() => producers.id, { onDelete: 'cascade' }),
  email: boolean('email').notNull().default(true),
  sms: boolean('sms').notNull().default(false),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Addresses (lower-case e-mail or normalised phone) that unsubscribed from non-transactional messages. */
export const messageOptOuts = pgTable('message_opt_outs', {
  address: text('address').primaryKey(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Jobs that run by themselves: when each is next due and until when an instance holds it. */
export const scheduleState = pgTable('schedule_state', {
  name: text('name').primaryKey(),
  nextRunAt: timestamp('next_run_at', { withTimezone: true }).notNull(),
  lastRunAt: timestamp('last_run_at', { withTimezone: true }),
  lastFinishedAt: timestamp('last_finished_at', { withTimezone: true }),
  runningUntil: timestamp('running_until', { withTimezone: true }),
  lastError: text('last_error'),
  runs: integer('runs').notNull().default(0),
});

/** One low-stock notice per product until it is restocked above the threshold. */
export const lowStockNotices = pgTable('low_stock_notices', {
  productId: integer('product_id').primaryKey().references(() => products.id, { onDelete: 'cascade' }),
  stock: integer('stock').notNull(),
  notifiedAt: timestamp('notified_at', { withTimezone: true }).notNull().defaultNow(),
});
