import { config } from '../config/index.ts';
import { db, type DbOrTx } from '../db/index.ts';
import { AppError } from '../errors/index.ts';
import { log } from '../log/index.ts';
import { enqueue } from '../outbox/index.ts';
import {
  creditParts, findPaymentById, findPaymentByProviderPaymentId, findPaymentByRef, interpretStripeEvent, latestPaymentOf,
  providerByName, recordWebhookEvent, retrieveCheckoutNotice, reverseParts, updatePayment, verifyStripeEvent,
  type PaymentNotice, type PaymentRow,
} from '../payments/index.ts';
import { cutoffPassed, orderBookings, releaseSeats } from '../experiences/index.ts';
import { releaseStock } from './checkout.steps.ts';
import { deleteExpiredKeys } from './idempotency.repository.ts';
import { notify, transition } from './order-status.ts';
import {
  insertEvent, lockOrder, lockOrderByPublicId, lockStock, markStockReleased, moveStock, orderDemand, partsOf, partsToCredit, selectLapsedOrders,
  selectOrderByPublicId, setPartsStatus, type OrderPartRow, type OrderRow,
} from './orders.repository.ts';

/**
 * What happens to an order when money arrives, does not arrive, or goes back. Every function
 * locks the order row first (then product rows in id order), checks the state it finds, and does
 * nothing when the change already happened: the success redirect and the webhook can race, and
 * gateways deliver notifications more than once and out of order.
 */
export const REFUND_TOPIC = 'payments.refund';
export const CLOSE_TOPIC = 'payments.close';

export type PaymentOutcome = 'paid' | 'cash_collected' | 'late' | 'duplicate' | 'mismatch' | 'cancelled' | 'refunded' | 'partially_refunded' | 'noop' | 'unknown_order';

async function creditOrder(tx: DbOrTx, order: OrderRow): Promise<void> {
  const parts = await partsOf(tx, order.id);
  await creditParts(tx, await partsToCredit(tx, parts.filter((p) => p.status !== 'cancelled')), config().PAYOUT_FEE_BPS, order.paymentReference);
}

/** Money for `order` arrived (card, bank transfer, or cash collected). `order` must be locked. */
export async function confirmPaid(
  tx: DbOrTx, order: OrderRow, payment: PaymentRow,
  money: { amount: number; currency?: string; providerRef?: string | null; providerPaymentId?: string | null; actor: string; cause: string },
): Promise<PaymentOutcome> {
  if (payment.status === 'succeeded' || payment.status === 'refunded') return 'duplicate';
  if (money.amount !== order.total || (money.currency !== undefined && money.currency.toLowerCase() !== 'vnd')) {
    await insertEvent(tx, { orderId: order.id, type: 'payment_mismatch', cause: money.cause, actor: money.actor, data: { expected: order.total, received: money.amount, currency: money.currency ?? null } });
    return 'mismatch';
  }
  const paidPatch = { status: 'succeeded' as const, paidAt: new Date(), ...(money.providerRef ? { providerRef: money.providerRef } : {}), ...(money.providerPaymentId ? { providerPaymentId: money.providerPaymentId } : {}) };
  if (order.status === 'pending_payment' && !order.stockReleasedAt) {
    const demand = await orderDemand(tx, order.id);
    await lockStock(tx, [...demand.keys()]);
    await moveStock(tx, demand, 'settle');
    await updatePayment(tx, payment.id, paidPatch);
    await transition(tx, order, 'paid', money.cause, money.actor);
    await creditOrder(tx, order);
    return 'paid';
  }
  if (order.status === 'cancelled' || order.stockReleasedAt) {
    // The reservation lapsed before the money came: the units may be sold to someone else, so the
    // payment is given back (through the outbox: the gateway call is retried until it succeeds).
    await updatePayment(tx, payment.id, paidPatch);
    await insertEvent(tx, { orderId: order.id, type: 'late_payment', cause: money.cause, actor: money.actor, data: { amount: money.amount } });
    const provider = providerByName(payment.provider);
    if (provider?.refund) await enqueue(tx, REFUND_TOPIC, { paymentId: payment.id }, { dedupeKey: `refund:${payment.id}` });
    else await insertEvent(tx, { orderId: order.id, type: 'refund_required', cause: 'late_payment', actor: 'system' });
    return 'late';
  }
  if (payment.provider === 'cod' && ['processing', 'shipped', 'delivered'].includes(order.status)) {
    await updatePayment(tx, payment.id, paidPatch);
    await insertEvent(tx, { orderId: order.id, type: 'cash_collected', cause: money.cause, actor: money.actor });
    await creditOrder(tx, order);
    return 'cash_collected';
  }
  return 'noop';
}

/**
 * Whether the customer may still cancel: unpaid, cash on delivery with no parcel on its way, or
 * (`bookingOnly`: experiences, nothing to ship) paid, in which case the money goes back. The
 * bookings' cut-off (experiences) is checked beside this.
 */
export function customerMayCancel(order: { status: string; paymentMethod: string }, parts: Array<{ status: string }>, bookingOnly = false): boolean {
  if (order.status === 'pending_payment') return true;
  if (order.status === 'processing' && order.paymentMethod === 'cod' && parts.every((p) => p.status === 'pending')) return true;
  return bookingOnly && (order.status === 'paid' || order.status === 'processing') && parts.every((p) => p.status === 'pending' || p.status === 'preparing');
}

/** An order of experience bookings only (no goods to ship). */
export async function isBookingOnly(conn: DbOrTx, orderId: number, bookings: unknown[]): Promise<boolean> {
  return bookings.length > 0 && (await orderDemand(conn, orderId)).size === 0;
}

/** The customer's cancel button (the order's unguessable link is the key). */
export async function cancelByCustomer(publicId: string): Promise<boolean> {
  const d = await db();
  return d.transaction(async (tx) => {
    const order = await lockOrderByPublicId(tx, publicId);
    if (!order) throw new AppError('NOT_FOUND', 'orders.not_found', 'No such order');
    const parts = await partsOf(tx, order.id);
    const bookings = await orderBookings(tx, order.id);
    if (!customerMayCancel(order, parts, await isBookingOnly(tx, order.id, bookings))) return false;
    // A booking may be cancelled only until its experience's cut-off before the session.
    if (cutoffPassed(bookings)) return false;
    if (order.status === 'pending_payment' || order.paymentMethod === 'cod') return cancelLocked(tx, order, 'customer_cancelled', 'customer');
    return cancelPaidBooking(tx, order, parts);
  });
}

/**
 * A paid booking cancelled by its customer before the cut-off: the seats go back and so does the
 * money — a card payment through the gateway (outbox, retried; the order becomes refunded and the
 * producers' credits are reversed when the gateway confirms), a bank transfer by the office (a
 * "refund due" event on the order; the producers' credits are reversed now, they are not paid for
 * a cancelled booking).
 */
async function cancelPaidBooking(tx: DbOrTx, order: OrderRow, parts: OrderPartRow[]): Promise<boolean> {
  const payment = await latestPaymentOf(tx, order.id);
  if (!payment || payment.status !== 'succeeded') return false;
  if (!(await transition(tx, order, 'cancelled', 'customer_cancelled', 'customer'))) return false;
  await cancelOpenParts(tx, order, 'committed', 'customer_cancelled', 'customer', parts);
  if (providerByName(payment.provider)?.refund) {
    await enqueue(tx, REFUND_TOPIC, { paymentId: payment.id, cause: 'customer_cancelled_refunded' }, { dedupeKey: `refund:${payment.id}` });
  } else {
    await reverseParts(tx, parts.map((p) => p.id), order.paymentReference);
    await insertEvent(tx, { orderId: order.id, type: 'refund_required', cause: 'customer_cancelled', actor: 'customer', data: { amount: payment.amount } });
  }
  return true;
}

/**
 * Cancels the parcels of a locked order that have not left (pending, preparing) and gives their
 * units back, once whatever calls it (cancellation, expiry, a refund) and however often: a
 * parcel's units return in the transaction whose conditional update moves it to cancelled, and
 * only while the order's units are not all back. Parcels shipped or delivered keep theirs out of
 * stock (the goods are gone). When none had left, this is the whole order and
 * `orders.stock_released_at` is set (its status change says it all); otherwise each parcel
 * cancelled is recorded in the timeline with the units it returned. `before`: the order's parts,
 * when the caller has just read them.
 */
async function cancelOpenParts(tx: DbOrTx, order: OrderRow, held: 'reserved' | 'committed', cause: string, actor: string, before?: OrderPartRow[]): Promise<void> {
  before ??= await partsOf(tx, order.id);
  const cancelled = await setPartsStatus(tx, order.id, ['pending', 'preparing'], 'cancelled');
  // Booked seats go back with their part, once (each booking moves held → cancelled once).
  await releaseSeats(tx, cancelled);
  if (cancelled.length === 0 || order.stockReleasedAt) return;
  const whole = !before.some((p) => p.status === 'shipped' || p.status === 'delivered');
  if (whole && !(await markStockReleased(tx, order.id))) return;
  await releaseStock(tx, await orderDemand(tx, order.id, cancelled), held);
  if (whole) return;
  for (const part of before.filter((p) => cancelled.includes(p.id))) {
    const returned = Object.fromEntries(await orderDemand(tx, order.id, [part.id]));
    await insertEvent(tx, { orderId: order.id, orderPartId: part.id, type: 'part_status', fromStatus: part.status, toStatus: 'cancelled', cause, actor, data: { returnedToStock: returned } });
  }
}

/** Cancels an unpaid (or cash-on-delivery, not yet shipped) order and releases its units once. */
export async function cancelLocked(tx: DbOrTx, order: OrderRow, cause: string, actor: string): Promise<boolean> {
  const held = order.status === 'pending_payment' ? 'reserved' : 'committed';
  const cancellable = order.status === 'pending_payment' || (order.status === 'processing' && order.paymentMethod === 'cod');
  if (!cancellable || !(await transition(tx, order, 'cancelled', cause, actor))) return false;
  await cancelOpenParts(tx, order, held, cause, actor);
  const payment = await latestPaymentOf(tx, order.id);
  if (payment?.status === 'pending') {
    await updatePayment(tx, payment.id, { status: 'cancelled' });
    // Close the gateway's page too (e.g. the sweeper released the units before Stripe's session ended).
    if (payment.providerRef && providerByName(payment.provider)?.close && cause !== 'checkout_expired') {
      await enqueue(tx, CLOSE_TOPIC, { provider: payment.provider, providerRef: payment.providerRef }, { dedupeKey: `close:${payment.id}` });
    }
  }
  return true;
}

export async function cancelOrder(publicId: string, cause: string, actor: string): Promise<boolean> {
  const d = await db();
  return d.transaction(async (tx) => {
    const order = await lockOrderByPublicId(tx, publicId);
    if (!order) throw new AppError('NOT_FOUND', 'orders.not_found', 'No such order');
    return cancelLocked(tx, order, cause, actor);
  });
}

/**
 * The sweeper: cancels unpaid orders whose hold lapsed and releases their units. Returns how many.
 * It also drops Idempotency-Keys past their 24 hours (an expired key is free anyway).
 */
export async function expireLapsedOrders(): Promise<number> {
  const d = await db();
  await deleteExpiredKeys(d);
  let count = 0;
  for (const id of await selectLapsedOrders(d)) {
    const done = await d.transaction(async (tx) => {
      const order = await lockOrder(tx, id);
      if (!order || order.status !== 'pending_payment' || !order.reservedUntil || order.reservedUntil.getTime() > Date.now()) return false;
      return cancelLocked(tx, order, 'reservation_expired', 'system');
    });
    if (done) count++;
  }
  return count;
}

async function lockOrderOfPayment(tx: DbOrTx, payment: PaymentRow | null, publicId: string | null): Promise<{ order: OrderRow; payment: PaymentRow } | null> {
  let orderId = payment?.orderId;
  if (!orderId && publicId) orderId = (await selectOrderByPublicId(tx, publicId))?.id;
  if (!orderId) return null;
  const order = await lockOrder(tx, orderId);
  const pay = payment ?? (await latestPaymentOf(tx, orderId));
  return order && pay ? { order, payment: pay } : null;
}

/** Applies a gateway notification in the caller's transaction. */
export async function applyNotice(tx: DbOrTx, notice: PaymentNotice, provider: 'stripe', actor: string): Promise<PaymentOutcome> {
  switch (notice.kind) {
    case 'paid': {
      const found = await lockOrderOfPayment(tx, await findPaymentByRef(tx, provider, notice.providerRef), notice.orderPublicId);
      if (!found) return 'unknown_order';
      // Re-read the payment under the order lock: the racing request may just have settled it.
      const payment = (await findPaymentById(tx, found.payment.id))!;
      return confirmPaid(tx, found.order, payment, { amount: notice.amount, currency: notice.currency, providerRef: notice.providerRef, providerPaymentId: notice.providerPaymentId, actor, cause: 'card_payment' });
    }
    case 'expired':
    case 'failed': {
      const found = await lockOrderOfPayment(tx, await findPaymentByRef(tx, provider, notice.providerRef), notice.orderPublicId);
      if (!found) return 'unknown_order';
      return (await cancelLocked(tx, found.order, notice.kind === 'expired' ? 'checkout_expired' : 'payment_failed', actor)) ? 'cancelled' : 'noop';
    }
    case 'refunded': {
      const payment = await findPaymentByProviderPaymentId(tx, provider, notice.providerPaymentId);
      const found = await lockOrderOfPayment(tx, payment, null);
      if (!found) return 'unknown_order';
      if (!notice.fully) return recordPartialRefund(tx, found.order, found.payment, notice.amountRefunded, actor);
      return markRefunded(tx, found.order, found.payment, 'card_refunded', actor, notice.amountRefunded);
    }
    default:
      return 'noop';
  }
}

/**
 * Part of a payment went back (Stripe's amount_refunded is cumulative): recorded on the payment
 * and in the timeline, and the customer is told how much came back; the order, its stock and the
 * ledger stay as they are — what a partial refund stands for (a broken jar, a late parcel) is for
 * the office to settle.
 */
async function recordPartialRefund(tx: DbOrTx, order: OrderRow, payment: PaymentRow, amountRefunded: number, actor: string): Promise<PaymentOutcome> {
  if (payment.status === 'refunded') return 'duplicate';
  const amount = Math.min(payment.amount, amountRefunded);
  // An older event arriving late (or a malformed amount, -1) never lowers what was recorded.
  if (amount <= payment.refundedAmount) return 'noop';
  await updatePayment(tx, payment.id, { refundedAmount: amount });
  await insertEvent(tx, { orderId: order.id, type: 'partial_refund', cause: 'card_partially_refunded', actor, data: { refunded: amount, of: payment.amount } });
  await notify(tx, order, 'partial_refund', `partial_refund:${amount}`, { refunded: amount });
  return 'partially_refunded';
}

/**
 * The whole payment went back. An order none of whose parcels has shipped is cancelled; one with
 * a parcel on its way is recorded as refunded after shipping and stays out of the cancelled state
 * (its goods are out). Either way the parcels not yet shipped are cancelled and their units return
 * to stock, once (cancelOpenParts: a replayed event, or an order already cancelled, moves nothing),
 * the order ends refunded and the producers' credits are reversed. The customer gets one notice:
 * "cancelled and refunded" when the refund cancelled the order, else "refunded".
 */
export async function markRefunded(tx: DbOrTx, order: OrderRow, payment: PaymentRow, cause: string, actor: string, amountRefunded = payment.amount): Promise<PaymentOutcome> {
  if (payment.status === 'refunded') return 'duplicate';
  await updatePayment(tx, payment.id, { status: 'refunded', refundedAmount: Math.min(payment.amount, Math.max(payment.refundedAmount, amountRefunded, 0)) });
  const parts = await partsOf(tx, order.id);
  const shipped = parts.filter((p) => p.status === 'shipped' || p.status === 'delivered');
  // A refund that cancels the order tells the customer once, with the refund's notice below.
  const cancelled = shipped.length === 0 && (order.status === 'paid' || order.status === 'processing') && (await transition(tx, order, 'cancelled', cause, actor, { notice: null }));
  if (shipped.length > 0) {
    await insertEvent(tx, { orderId: order.id, type: 'refund_after_shipping', cause, actor, data: { shippedParts: shipped.length, parts: parts.length } });
  }
  if (order.status !== 'pending_payment') await cancelOpenParts(tx, order, 'committed', cause, actor, parts);
  await transition(tx, order, 'refunded', cause, actor, { notice: cancelled ? 'cancelled_refunded' : 'status' });
  await reverseParts(tx, parts.map((p) => p.id), order.paymentReference);
  return 'refunded';
}

/** POST /api/webhooks/stripe: verify the raw body, then apply the event once (its id is recorded in the same transaction). */
export async function handleStripeWebhook(rawBody: string, signature: string | null): Promise<{ duplicate: boolean; outcome: PaymentOutcome | null }> {
  const event = verifyStripeEvent(rawBody, signature);
  const notice = interpretStripeEvent(event);
  const d = await db();
  return d.transaction(async (tx) => {
    if (!(await recordWebhookEvent(tx, { id: event.id, provider: 'stripe', type: event.type }))) return { duplicate: true, outcome: null };
    const outcome = await applyNotice(tx, notice, 'stripe', 'stripe_webhook');
    if (outcome === 'unknown_order' || outcome === 'mismatch') log.warn('stripe event not applied', { event: event.id, type: event.type, outcome });
    return { duplicate: false, outcome };
  });
}

/**
 * The customer is back from Stripe's success URL, possibly before the webhook: ask Stripe and
 * settle now. Safe to race with the webhook (both lock the order and check the payment).
 */
export async function syncCheckoutReturn(publicId: string, sessionId: string): Promise<PaymentOutcome> {
  const d = await db();
  const order = await selectOrderByPublicId(d, publicId);
  const payment = order && (await latestPaymentOf(d, order.id));
  if (!order || !payment || payment.provider !== 'stripe' || payment.providerRef !== sessionId || payment.status !== 'pending') return 'noop';
  const notice = await retrieveCheckoutNotice(sessionId);
  if (notice.kind !== 'paid') return 'noop';
  return d.transaction((tx) => applyNotice(tx, notice, 'stripe', 'checkout_return'));
}

/** Outbox handler: closes a cancelled order's payment page at the gateway. */
export async function closeGatewayPayment(message: { provider: string; providerRef: string }): Promise<void> {
  const provider = providerByName(message.provider as 'stripe');
  await provider?.close?.({ providerRef: message.providerRef });
}

/** Outbox handler: gives back a payment (one that arrived after its reservation lapsed, or a cancelled paid booking). */
export async function processRefund(paymentId: number, cause = 'late_payment_refunded'): Promise<void> {
  const d = await db();
  const payment = await findPaymentById(d, paymentId);
  if (!payment || payment.status === 'refunded') return;
  const provider = providerByName(payment.provider);
  if (!provider?.refund || !payment.providerPaymentId) throw new Error(`payment ${paymentId} cannot be refunded automatically`);
  const { refundId } = await provider.refund({ providerPaymentId: payment.providerPaymentId, amount: payment.amount, idempotencyKey: `refund:${payment.id}`, cause });
  await d.transaction(async (tx) => {
    const order = await lockOrder(tx, payment.orderId);
    const fresh = await findPaymentById(tx, paymentId);
    if (!order || !fresh || fresh.status === 'refunded') return;
    await insertEvent(tx, { orderId: order.id, type: 'refund', cause, actor: 'system', data: { refundId, amount: payment.amount } });
    await markRefunded(tx, order, fresh, cause, 'system');
  });
}

/** The office marks a VietQR transfer received, or the cash of a COD order collected. */
export async function markPaidByOffice(publicId: string, actor: string, evidence?: { amount?: number; transactionId?: string }): Promise<PaymentOutcome> {
  const d = await db();
  return d.transaction(async (tx) => {
    const order = await lockOrderByPublicId(tx, publicId);
    if (!order) throw new AppError('NOT_FOUND', 'orders.not_found', 'No such order');
    const payment = await latestPaymentOf(tx, order.id);
    if (!payment || payment.provider === 'stripe') throw new AppError('CONFLICT', 'orders.not_office_payment', 'Card payments are confirmed by Stripe, not by hand');
    return confirmPaid(tx, order, payment, {
      amount: evidence?.amount ?? order.total, providerRef: evidence?.transactionId ?? null, actor,
      cause: payment.provider === 'cod' ? 'cash_collected' : 'bank_transfer',
    });
  });
}
