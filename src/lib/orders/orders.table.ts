import { sql } from 'drizzle-orm';
import {
  bigint, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex,
} from 'drizzle-orm/pg-core';
import { combos, producers, products, provinces } from '../catalog/catalog.table.ts';
import { pointsOfSale } from '../places/places.table.ts';

/** An anonymous cart; the cookie holds a random token whose SHA-256 is the id. */
export const carts = pgTable('carts', {
  id: text('id').primaryKey(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
}, (t) => [index('carts_expires_idx').on(t.expiresAt)]);

export const cartItems = pgTable('cart_items', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  cartId: text('cart_id').notNull().references(() => carts.id, { onDelete: 'cascade' }),
  productId: integer('product_id').references(() => products.id),
  comboId: integer('combo_id').references(() => combos.id),
  qty: integer('qty').notNull(),
  /** Price when added, to tell the shopper when it changed by checkout. */
  unitPriceSeen: integer('unit_price_seen').notNull(),
  addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex('cart_items_product_uq').on(t.cartId, t.productId),
  uniqueIndex('cart_items_combo_uq').on(t.cartId, t.comboId),
  check('cart_items_qty_ck', sql`${t.qty} between 1 and 999`),
  check('cart_items_one_ck', sql`(${t.productId} is null) <> (${t.comboId} is null)`),
]);

export const ORDER_STATUSES = ['pending_payment', 'paid', 'processing', 'shipped', 'delivered', 'cancelled', 'refunded'] as const;
export const PAYMENT_METHODS = ['cod', 'vietqr', 'card'] as const;

export const orders = pgTable('orders', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  /** Unguessable public id, e.g. "ord_7kq…". */
  publicId: text('public_id').notNull(),
  status: text('status', { enum: ORDER_STATUSES }).notNull(),
  paymentMethod: text('payment_method', { enum: PAYMENT_METHODS }).notNull(),
  customerName: text('customer_name').notNull(),
  phone: text('phone').notNull(),
  email: text('email'),
  addressLine: text('address_line').notNull(),
  commune: text('commune').notNull(),
  provinceCode: text('province_code').notNull().references(() => provinces.code),
  note: text('note'),
  locale: text('locale').notNull().default('vi'),
  subtotal: integer('subtotal').notNull(),
  shippingTotal: integer('shipping_total').notNull(),
  total: integer('total').notNull(),
  /** Short ASCII reference for bank transfers (VietQR purpose). */
  paymentReference: text('payment_reference').notNull(),
  /** Stock stays reserved until then for unpaid card orders. */
  reservedUntil: timestamp('reserved_until', { withTimezone: true }),
  /** Stock was released (cancel, expiry), so it is released once. */
  stockReleasedAt: timestamp('stock_released_at', { withTimezone: true }),
  /** The client's network prefix (lib/http networkPrefix, never the address): caps on unpaid holds per network. */
  clientNetwork: text('client_network'),
  /** A gift: the parcel goes to this recipient (the order's address), the buyer stays the customer. */
  giftRecipientName: text('gift_recipient_name'),
  giftRecipientPhone: text('gift_recipient_phone'),
  /** Printed on the packing slip, which never shows prices. */
  giftMessage: text('gift_message'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex('orders_public_id_uq').on(t.publicId),
  uniqueIndex('orders_payment_reference_uq').on(t.paymentReference),
  index('orders_status_idx').on(t.status, t.reservedUntil),
  index('orders_created_idx').on(t.createdAt),
  index('orders_held_by_network_idx').on(t.clientNetwork).where(sql`${t.status} = 'pending_payment'`),
  // "Find my order" (lib/messages, migration 0017).
  index('orders_email_lookup_idx').on(sql`lower(${t.email})`).where(sql`${t.email} is not null`),
  index('orders_phone_lookup_idx').on(t.phone),
  check('orders_status_ck', sql`${t.status} in ('pending_payment','paid','processing','shipped','delivered','cancelled','refunded')`),
  check('orders_method_ck', sql`${t.paymentMethod} in ('cod','vietqr','card')`),
  check('orders_amounts_ck', sql`${t.subtotal} >= 0 and ${t.shippingTotal} >= 0 and ${t.total} = ${t.subtotal} + ${t.shippingTotal}`),
  check('orders_gift_ck', sql`(${t.giftRecipientName} is null) = (${t.giftRecipientPhone} is null) and (${t.giftMessage} is null or ${t.giftRecipientName} is not null)`),
  check('orders_reference_ck', sql`${t.paymentReference} ~ '^[A-Z0-9]{6,25}$'`),
]);

export const ORDER_PART_STATUSES = ['pending', 'preparing', 'shipped', 'delivered', 'cancelled'] as const;

/**
 * A parcel of an order: what one shipper packs and ships with one shipping fee — a producer's own
 * items and the gift combos it assembles, or the gift combos a point of sale assembles (whose
 * components come from producers; each producer is still credited its share in the payout ledger).
 * Exactly one of producer_id and point_of_sale_id is set (migration 0020).
 */
export const orderParts = pgTable('order_parts', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  orderId: integer('order_id').notNull().references(() => orders.id),
  producerId: integer('producer_id').references(() => producers.id),
  pointOfSaleId: integer('point_of_sale_id').references(() => pointsOfSale.id),
  status: text('status', { enum: ORDER_PART_STATUSES }).notNull().default('pending'),
  subtotal: integer('subtotal').notNull(),
  shippingFee: integer('shipping_fee').notNull(),
  weightGrams: integer('weight_grams').notNull().default(0),
  carrier: text('carrier'),
  trackingNumber: text('tracking_number'),
  shippedAt: timestamp('shipped_at', { withTimezone: true }),
  deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex('order_parts_order_producer_uq').on(t.orderId, t.producerId),
  index('order_parts_producer_idx').on(t.producerId, t.status),
  check('order_parts_amounts_ck', sql`${t.subtotal} >= 0 and ${t.shippingFee} >= 0`),
  check('order_parts_status_ck', sql`${t.status} in ('pending','preparing','shipped','delivered','cancelled')`),
  uniqueIndex('order_parts_order_point_uq').on(t.orderId, t.pointOfSaleId).where(sql`${t.pointOfSaleId} is not null`),
  index('order_parts_point_idx').on(t.pointOfSaleId, t.status).where(sql`${t.pointOfSaleId} is not null`),
  check('order_parts_one_shipper_ck', sql`num_nonnulls(${t.producerId}, ${t.pointOfSaleId}) = 1`),
]);

/** A line of an order part with the price and names as they were at checkout. */
export const orderItems = pgTable('order_items', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  orderPartId: integer('order_part_id').notNull().references(() => orderParts.id),
  productId: integer('product_id').notNull().references(() => products.id),
  /** Set when the line is a component of a gift combo. */
  comboId: integer('combo_id').references(() => combos.id),
  /** The combo's names and how many boxes were bought, so the order reads as the shopper chose it. */
  comboNameVi: text('combo_name_vi'),
  comboNameEn: text('combo_name_en'),
  comboQty: integer('combo_qty'),
  nameVi: text('name_vi').notNull(),
  nameEn: text('name_en').notNull(),
  unitPrice: integer('unit_price').notNull(),
  qty: integer('qty').notNull(),
  lineTotal: integer('line_total').notNull(),
}, (t) => [
  index('order_items_part_idx').on(t.orderPartId),
  index('order_items_product_idx').on(t.productId),
  check('order_items_qty_ck', sql`${t.qty} > 0`),
  check('order_items_combo_ck', sql`(${t.comboId} is null) = (${t.comboQty} is null)`),
  check('order_items_amounts_ck', sql`${t.unitPrice} >= 0 and ${t.lineTotal} >= 0`),
]);

/** Every status change of an order or a part: when, from, to and why. */
/** What an order's timeline records; every type but the two status moves has its own line in the messages (OrderTimeline). */
export const ORDER_EVENT_TYPES = ['status', 'part_status', 'late_payment', 'refund', 'refund_required', 'payment_mismatch', 'cash_collected',
  'partial_refund', 'refund_after_shipping'] as const;

export const orderEvents = pgTable('order_events', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  orderId: integer('order_id').notNull().references(() => orders.id),
  orderPartId: integer('order_part_id').references(() => orderParts.id),
  type: text('type', { enum: ORDER_EVENT_TYPES }).notNull(),
  fromStatus: text('from_status'),
  toStatus: text('to_status'),
  cause: text('cause'),
  actor: text('actor'),
  data: jsonb('data'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  index('order_events_order_idx').on(t.orderId, t.createdAt),
  uniqueIndex('order_events_bank_refund_uq').on(t.orderId).where(sql`${t.type} = 'refund' and ${t.cause} = 'bank_transfer_refunded'`),
]);

/**
 * Idempotency-Key of POST /api/orders: the key is claimed in the order's own transaction, so one
 * key places at most one order even when requests race; the first answer is kept for replays.
 */
export const orderIdempotencyKeys = pgTable('order_idempotency_keys', {
  key: text('key').primaryKey(),
  /** SHA-256 of the validated order input: the same key with another body is refused. */
  requestHash: text('request_hash').notNull(),
  orderId: integer('order_id').references(() => orders.id),
  /** The 201 body as first sent, byte for byte (text: jsonb would reorder its keys); null while the payment is being started. */
  response: text('response'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
}, (t) => [
  index('order_idempotency_keys_expires_idx').on(t.expiresAt),
  check('order_idempotency_keys_key_ck', sql`${t.key} ~ '^[!-~]{1,255}$'`),
]);
