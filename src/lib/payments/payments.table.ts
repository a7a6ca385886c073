import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { producers } from '../catalog/catalog.table.ts';
import { orderParts, orders } from '../orders/orders.table.ts';
import { pointsOfSale } from '../places/places.table.ts';

export const PAYMENT_PROVIDERS = ['cod', 'vietqr', 'stripe'] as const;
export const PAYMENT_STATUSES = ['pending', 'succeeded', 'failed', 'cancelled', 'refunded'] as const;

export const payments = pgTable('payments', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  orderId: integer('order_id').notNull().references(() => orders.id),
  provider: text('provider', { enum: PAYMENT_PROVIDERS }).notNull(),
  status: text('status', { enum: PAYMENT_STATUSES }).notNull().default('pending'),
  amount: integer('amount').notNull(),
  /** The provider's id (Stripe Checkout Session id, bank transaction id). */
  providerRef: text('provider_ref'),
  /** The provider's id of the money movement (Stripe PaymentIntent), to match refunds. */
  providerPaymentId: text('provider_payment_id'),
  idempotencyKey: text('idempotency_key'),
  checkoutUrl: text('checkout_url'),
  expiresAt: timestamp('expires_at', { withTimezone: true }),
  paidAt: timestamp('paid_at', { withTimezone: true }),
  /** What the gateway has given back so far (Stripe's cumulative amount_refunded); partial refunds move no stock. */
  refundedAmount: integer('refunded_amount').notNull().default(0),
  raw: jsonb('raw'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  index('payments_order_idx').on(t.orderId),
  index('payments_provider_payment_idx').on(t.providerPaymentId),
  uniqueIndex('payments_provider_ref_uq').on(t.provider, t.providerRef),
  uniqueIndex('payments_idempotency_uq').on(t.idempotencyKey),
  check('payments_amount_ck', sql`${t.amount} >= 0`),
  check('payments_refunded_ck', sql`${t.refundedAmount} between 0 and ${t.amount}`),
  check('payments_provider_ck', sql`${t.provider} in ('cod','vietqr','stripe')`),
  check('payments_status_ck', sql`${t.status} in ('pending','succeeded','failed','cancelled','refunded')`),
]);

/** Provider webhook events already handled, so a replay or duplicate changes nothing. */
export const webhookEvents = pgTable('webhook_events', {
  id: text('id').primaryKey(),
  provider: text('provider').notNull(),
  type: text('type').notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  processedAt: timestamp('processed_at', { withTimezone: true }),
});

export const PAYOUT_KINDS = ['credit', 'fee', 'settlement', 'reversal'] as const;

/**
 * What the platform owes each producer: credits for paid order parts, fees, and bank-transfer
 * settlements (negative). The balance is the sum; rows are never edited.
 */
export const payoutEntries = pgTable('payout_entries', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  /** Who is owed: a producer, or a point of sale (the shipping fee of the gift boxes it packs); exactly one. */
  producerId: integer('producer_id').references(() => producers.id),
  pointOfSaleId: integer('point_of_sale_id').references(() => pointsOfSale.id),
  orderPartId: integer('order_part_id').references(() => orderParts.id),
  kind: text('kind', { enum: PAYOUT_KINDS }).notNull(),
  amount: integer('amount').notNull(),
  reference: text('reference'),
  note: text('note'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  index('payout_entries_producer_idx').on(t.producerId, t.createdAt),
  uniqueIndex('payout_entries_part_producer_kind_uq').on(t.orderPartId, t.producerId, t.kind),
  uniqueIndex('payout_entries_part_point_kind_uq').on(t.orderPartId, t.pointOfSaleId, t.kind).where(sql`${t.pointOfSaleId} is not null`),
  check('payout_entries_one_payee_ck', sql`num_nonnulls(${t.producerId}, ${t.pointOfSaleId}) = 1`),
  check('payout_entries_kind_ck', sql`${t.kind} in ('credit','fee','settlement','reversal')`),
]);
