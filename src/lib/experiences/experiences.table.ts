import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgTable, text, time, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { products } from '../catalog/catalog.table.ts';
import { orderParts, orders } from '../orders/orders.table.ts';

/** Per experience: until how many hours before a session a booking may still be cancelled. */
export const experiencePolicies = pgTable('experience_policies', {
  productId: integer('product_id').primaryKey().references(() => products.id),
  cancelCutoffHours: integer('cancel_cutoff_hours').notNull().default(24),
}, (t) => [check('experience_policies_cutoff_ck', sql`${t.cancelCutoffHours} BETWEEN 0 AND 720`)]);

/** A dated session of a group-6 experience; `booked` counts held and paid seats and never exceeds `capacity`. */
export const experienceSessions = pgTable('experience_sessions', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  productId: integer('product_id').notNull().references(() => products.id),
  startsOn: date('starts_on', { mode: 'string' }).notNull(),
  /** Local time in Vietnam (UTC+7); null for a day-long session. */
  startsAt: time('starts_at'),
  capacity: integer('capacity').notNull(),
  booked: integer('booked').notNull().default(0),
  pricePerPerson: integer('price_per_person').notNull(),
  status: text('status', { enum: ['open', 'cancelled'] }).notNull().default('open'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex('experience_sessions_slot_uq').on(t.productId, t.startsOn, sql`coalesce(${t.startsAt}, '00:00'::time)`),
  check('experience_sessions_capacity_ck', sql`${t.capacity} BETWEEN 1 AND 1000`),
  check('experience_sessions_booked_ck', sql`${t.booked} >= 0 AND ${t.booked} <= ${t.capacity}`),
  check('experience_sessions_price_ck', sql`${t.pricePerPerson} >= 0 AND ${t.pricePerPerson} <= 100000000`),
  check('experience_sessions_status_ck', sql`${t.status} IN ('open','cancelled')`),
]);

/** Seats of one session taken by one order's part; released once when the part is cancelled. */
export const bookings = pgTable('bookings', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  sessionId: integer('session_id').notNull().references(() => experienceSessions.id),
  orderId: integer('order_id').notNull().references(() => orders.id),
  orderPartId: integer('order_part_id').notNull().references(() => orderParts.id),
  partySize: integer('party_size').notNull(),
  status: text('status', { enum: ['held', 'cancelled'] }).notNull().default('held'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
}, (t) => [
  uniqueIndex('bookings_part_session_uq').on(t.orderPartId, t.sessionId),
  index('bookings_session_idx').on(t.sessionId, t.status),
  index('bookings_order_idx').on(t.orderId),
  check('bookings_party_ck', sql`${t.partySize} BETWEEN 1 AND 99`),
  check('bookings_status_ck', sql`${t.status} IN ('held','cancelled')`),
]);
