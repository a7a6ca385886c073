import crypto from 'node:crypto';
import { db, type Tx } from '../db/index.ts';
import { AppError } from '../errors/index.ts';
import type { Locale, MessageKey, Translator } from '../i18n/index.ts';
import { log } from '../log/index.ts';
import { enqueue } from '../outbox/index.ts';
import {
  insertPayment, latestPaymentOf, providerByName, providerForMethod, updatePayment, STRIPE_MAX_VND, STRIPE_MIN_VND,
  type OrderForPayment, type PaymentRow,
} from '../payments/index.ts';
import { cutoffPassed, orderBookings, recordBookings, reserveSeats } from '../experiences/index.ts';
import { priceOrder, reserveStock, resolveLines } from './checkout.steps.ts';
import { attachOrder, claimKey, deleteKey, saveResponse } from './idempotency.repository.ts';
import { IDEMPOTENCY_TTL_MS, idempotencyClaim, replayFor } from './idempotency.service.ts';
import { checkHeldByNetwork, checkPlacementRate, networkKey } from './order-limits.ts';
import { notify } from './order-status.ts';
import { insertEvent, insertItems, insertOrder, insertParts, selectOrderByPublicId, selectOrderDetail, type OrderRow } from './orders.repository.ts';
import { invalid, type OrderInput } from './orders.schemas.ts';
import type { OrderView, PricedOrder } from './orders.types.ts';
import { cancelOrder, customerMayCancel, isBookingOnly } from './payment-lifecycle.ts';

export const EXPIRE_TOPIC = 'orders.expire';

/** Crockford base32 without I, L, O, U: unambiguous when read aloud or typed into a bank app. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export function randomBase32(length: number): string {
  const bytes = crypto.randomBytes(length);
  let out = '';
  for (const b of bytes) out += ALPHABET[b & 31];
  return out;
}

/** "ord_" + 100 random bits: the order page's address is its only key, so it must be unguessable. */
export const newPublicId = () => `ord_${randomBase32(20).toLowerCase()}`;
/** The bank-transfer note: ASCII, 14 characters (≤ 25 for VietQR), 50 random bits. */
export const newPaymentReference = () => `OCOP${randomBase32(10)}`;

export interface CheckoutContext {
  t: Translator;
  locale: Locale;
  /** Origin for the Stripe success/cancel URLs. */
  origin: string;
  /** The client's network prefix (lib/http networkPrefix), for the abuse limits; null when unknown. */
  network?: string | null;
  /**
   * Whether the ordering limits apply (default true). Callers over HTTP pass false for requests
   * from loopback or private addresses (lib/http isPublicAddress): those come through our own side.
   */
  limited?: boolean;
  /** The API's Idempotency-Key header, already checked (parseIdempotencyKey). */
  idempotencyKey?: string | null;
}

export function forPayment(order: OrderRow): OrderForPayment {
  return { publicId: order.publicId, total: order.total, reference: order.paymentReference, email: order.email, locale: order.locale === 'en' ? 'en' : 'vi', reservedUntil: order.reservedUntil };
}

/** Step 0 of checkout: the payment module, or 400 on the payment field. */
function chooseProvider(input: OrderInput, t: Translator) {
  const provider = providerForMethod(input.payment);
  if (!provider || !provider.enabled()) throw invalid(t, { payment: t('orders.field.paymentUnavailable') });
  return provider;
}

/** Step 4: the order, its parts and items with price snapshots, the first event and the payment row. */
async function recordOrder(tx: Tx, input: OrderInput, priced: PricedOrder, ctx: CheckoutContext, provider: NonNullable<ReturnType<typeof providerForMethod>>) {
  const policy = provider.policy();
  const reservedUntil = policy.holdMinutes ? new Date(Date.now() + policy.holdMinutes * 60_000) : null;
  const c = input.customer;
  const order = await insertOrder(tx, {
    publicId: newPublicId(), status: policy.orderStatus, paymentMethod: input.payment,
    customerName: c.name, phone: c.phone, email: c.email ?? null,
    addressLine: c.address.line, commune: c.address.commune, provinceCode: c.address.province, note: input.note ?? null,
    locale: ctx.locale, subtotal: priced.subtotal, shippingTotal: priced.shippingTotal, total: priced.total,
    paymentReference: newPaymentReference(), reservedUntil, clientNetwork: networkKey(ctx.network ?? null),
    giftRecipientName: input.gift?.recipient.name ?? null, giftRecipientPhone: input.gift?.recipient.phone ?? null, giftMessage: input.gift?.message ?? null,
  });
  const partRows = await insertParts(tx, priced.parts.map((part) => ({ orderId: order.id, producerId: part.producer.kind === 'producer' ? part.producer.id : null, pointOfSaleId: part.producer.kind === 'point_of_sale' ? part.producer.id : null, status: 'pending' as const, subtotal: part.subtotal, shippingFee: part.shippingFee, weightGrams: part.weightGrams })));
  await insertItems(tx, priced.parts.flatMap((part, n) => part.items.map((i) => ({
    orderPartId: partRows[n]!.id, productId: i.product.id, comboId: i.combo?.id ?? null, comboNameVi: i.combo?.name.vi ?? null,
    comboNameEn: i.combo?.name.en ?? null, comboQty: i.combo?.qty ?? null, nameVi: i.product.nameVi, nameEn: i.product.nameEn,
    unitPrice: i.unitPrice, qty: i.qty, lineTotal: i.lineTotal,
  }))));
  await recordBookings(tx, priced.parts.flatMap((part, n) => part.items.flatMap((i) => (i.session ? [{ sessionId: i.session.id, orderId: order.id, orderPartId: partRows[n]!.id, partySize: i.qty }] : []))));
  await insertEvent(tx, { orderId: order.id, type: 'status', fromStatus: null, toStatus: order.status, cause: 'order_placed', actor: 'customer', data: { payment: input.payment } });
  const payment = await insertPayment(tx, { orderId: order.id, provider: provider.provider, amount: priced.total, idempotencyKey: `order:${order.publicId}` });
  await notify(tx, order, 'confirmation', 'placed');
  // The sweeper: a delayed outbox message releases the units if the order is still unpaid then.
  if (reservedUntil) await enqueue(tx, EXPIRE_TOPIC, { orderId: order.id }, { delayMs: reservedUntil.getTime() - Date.now() + 1_000 });
  return { order, payment };
}

/** What placing answered: the order, and whether it is the answer to an earlier request with the same Idempotency-Key. */
export interface PlacedOrder {
  order: OrderView;
  replayed: boolean;
}

/**
 * Places an order: validate → resolve → price → limits → reserve → record (one transaction), then
 * start the payment (Stripe is called only after the units are held). If the gateway fails, the
 * order is cancelled and its units released, and the customer gets a 503 to try again. With an
 * Idempotency-Key, the key is claimed in the same transaction and the first answer is replayed
 * (`replayed`: the API says so in its `Idempotent-Replayed` header).
 */
export async function placeOrder(input: OrderInput, ctx: CheckoutContext): Promise<PlacedOrder> {
  const { t } = ctx;
  const provider = chooseProvider(input, t);
  const d = await db();
  const claim = ctx.idempotencyKey ? idempotencyClaim(ctx.idempotencyKey, input) : null;
  if (claim) {
    const replay = await replayFor(d, claim, t, getOrderView);
    if (replay) return { order: replay, replayed: true };
  }
  const limited = ctx.limited ?? true;
  if (limited) await checkPlacementRate(d, ctx.network ?? null, t);
  const placed = await d.transaction(async (tx) => {
    if (claim && !(await claimKey(tx, claim.key, claim.hash, IDEMPOTENCY_TTL_MS))) return null;
    const lines = await resolveLines(tx, input.items, t);
    const priced = priceOrder(lines, input.customer.address.province);
    const refused = provider.refuseAmount(priced.total);
    if (refused) throw invalid(t, { payment: (t as (k: MessageKey, p?: Record<string, string | number>) => string)(refused as MessageKey, { min: STRIPE_MIN_VND, max: STRIPE_MAX_VND }) });
    if (provider.policy().stock === 'reserve') {
      if (limited) await checkHeldByNetwork(tx, ctx.network ?? null, [...priced.demand.values()].reduce((a, b) => a + b, 0), t);
    }
    await reserveStock(tx, priced.demand, provider.policy().stock, t);
    if (priced.seats.size) await reserveSeats(tx, priced.seats, t);
    const recorded = await recordOrder(tx, input, priced, ctx, provider);
    if (claim) await attachOrder(tx, claim.key, recorded.order.id);
    return recorded;
  });
  if (!placed) {
    // Another request with this key won the claim: answer what it answered.
    const replay = await replayFor(d, claim!, t, getOrderView);
    if (replay) return { order: replay, replayed: true };
    throw new AppError('UNAVAILABLE', 'payments.unavailable', t('orders.error.paymentUnavailable'));
  }
  const { order, payment } = placed;
  try {
    const path = `/orders/${order.publicId}`;
    const prefix = ctx.locale === 'en' ? '/en' : '';
    const started = await provider.start(forPayment(order), {
      success: `${ctx.origin}${prefix}${path}?checkout=success&session_id={CHECKOUT_SESSION_ID}`,
      cancel: `${ctx.origin}${prefix}${path}?checkout=cancelled`,
    });
    if (Object.keys(started).length) {
      await updatePayment(d, payment.id, { providerRef: started.providerRef ?? null, providerPaymentId: started.providerPaymentId ?? null, checkoutUrl: started.checkoutUrl ?? null, expiresAt: started.expiresAt ?? null, raw: started.raw ?? null });
    }
  } catch (err) {
    log.warn('payment start failed; cancelling the order', { order: order.publicId, provider: provider.provider, error: err instanceof Error ? err.message : String(err) });
    await cancelOrder(order.publicId, 'payment_start_failed', 'system');
    // Nothing was placed after all: the key may be used again (after the units are back).
    if (claim) await deleteKey(d, claim.key);
    throw new AppError('UNAVAILABLE', 'payments.unavailable', t('orders.error.paymentUnavailable'), { cause: err });
  }
  const view = (await getOrderView(order.publicId))!;
  if (claim) await saveResponse(d, claim.key, view);
  return { order: view, replayed: false };
}

/** placeOrder for callers that answer the same either way (the checkout form sends no key). */
export async function createOrder(input: OrderInput, ctx: CheckoutContext): Promise<OrderView> {
  return (await placeOrder(input, ctx)).order;
}

function paymentView(order: OrderRow, payment: PaymentRow | null): OrderView['payment'] {
  const method = order.paymentMethod;
  if (!payment) return { method, status: 'none' };
  const provider = providerByName(payment.provider);
  const shown = provider?.present(forPayment(order), { status: payment.status, checkoutUrl: payment.checkoutUrl }) ?? {};
  return { method, status: payment.status, ...(order.status === 'pending_payment' ? shown : {}) };
}

/** The order as GET /api/orders/<publicId> and the order page show it; null when unknown. */
export async function getOrderView(publicId: string): Promise<OrderView | null> {
  if (!/^ord_[0-9a-z]{20}$/.test(publicId)) return null;
  const d = await db();
  const order = await selectOrderByPublicId(d, publicId);
  if (!order) return null;
  const [detail, payment, bookings] = await Promise.all([selectOrderDetail(d, order.id), latestPaymentOf(d, order.id), orderBookings(d, order.id)]);
  return {
    publicId: order.publicId,
    status: order.status,
    createdAt: order.createdAt.toISOString(),
    currency: 'VND',
    subtotal: order.subtotal,
    shippingTotal: order.shippingTotal,
    total: order.total,
    reference: order.paymentReference,
    locale: order.locale === 'en' ? 'en' : 'vi',
    // The link is the key: show enough to recognise the order, not the full phone number.
    customer: { name: order.customerName, phone: order.phone.replace(/^(\d{3})\d+(\d{3})$/, '$1****$2'), province: order.provinceCode, commune: order.commune },
    gift: order.giftRecipientName === null ? null : { recipient: { name: order.giftRecipientName }, message: order.giftMessage },
    parts: detail.parts.map((p) => ({
      producer: { slug: p.producerSlug, name: p.producerName, kind: p.shipperKind },
      status: p.status, subtotal: p.subtotal, shippingFee: p.shippingFee, weightGrams: p.weightGrams,
      items: detail.items.filter((i) => i.partId === p.id).map((i) => ({
        slug: i.slug, name: { vi: i.nameVi, en: i.nameEn }, qty: i.qty, unitPrice: i.unitPrice, lineTotal: i.lineTotal,
        combo: i.comboQty === null ? null : { slug: i.comboSlug, name: { vi: i.comboNameVi ?? '', en: i.comboNameEn ?? '' }, qty: i.comboQty },
      })),
    })),
    events: detail.events.map((e) => ({ type: e.type, from: e.fromStatus, to: e.toStatus, cause: e.cause, at: new Date(e.createdAt).toISOString(), producer: e.producerName })),
    payment: paymentView(order, payment),
    reservedUntil: order.status === 'pending_payment' && order.reservedUntil ? order.reservedUntil.toISOString() : null,
    cancellable: customerMayCancel(order, detail.parts, await isBookingOnly(d, order.id, bookings)) && !cutoffPassed(bookings),
    bookings,
  };
}
