import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/db.ts';
import { signedStripeEvent } from '../support/fake-stripe.ts';
import { useFakeStripe } from '../support/stripe-env.ts';
import { createT } from '../../src/lib/i18n/index.ts';
import { advancePart, createOrder, getOrderView, handleStripeWebhook, listProducerParts, noticeText, type OrderInput, type OrderNotification } from '../../src/lib/orders/index.ts';

/**
 * Refunds from Stripe's charge.refunded (genuinely signed): a full refund before shipping cancels
 * the order and returns its units once; after shipping nothing returns, except the units of
 * parcels not yet shipped; partial refunds are recorded on the payment only. Per product,
 * stock + reserved + sold never changes.
 */
const SECRET = 'whsec_test_refunds';
const fake = useFakeStripe(SECRET, 'sk_test_refunds');
const database = useTestDatabase();

const SLUG = 'che-dinh-tan-cuong';
/** Another producer's product, for orders of two parcels. */
const OTHER = 'gao-daka';
const t = createT('en');
const input = (items: OrderInput['items']): OrderInput => ({
  items, payment: 'card',
  customer: { name: 'Jane Doe', phone: '0987654321', email: 'jane@example.com', address: { line: '1 Trang Tien', commune: 'Hoan Kiem', province: 'ha-noi' } },
});
const hook = (type: string, object: Record<string, unknown>, id?: string) => {
  const e = signedStripeEvent(type, object, SECRET, id);
  return handleStripeWebhook(e.payload, e.header);
};

/** Per product: sellable, held, and sold (units of parcels not cancelled, of orders neither awaiting payment nor released). */
async function ledger(slug = SLUG) {
  const [r] = (await database.get().db.execute(sql`select p.stock, p.reserved,
      (select coalesce(sum(oi.qty), 0)::int from order_items oi join order_parts op on op.id = oi.order_part_id join orders o on o.id = op.order_id
        where oi.product_id = p.id and op.status <> 'cancelled' and o.stock_released_at is null and o.status <> 'pending_payment') as sold
    from products p where p.slug = ${slug}`)) as unknown as Array<{ stock: number; reserved: number; sold: number }>;
  return { stock: Number(r!.stock), reserved: Number(r!.reserved), sold: Number(r!.sold) };
}
const total = (l: { stock: number; reserved: number; sold: number }) => l.stock + l.reserved + l.sold;

/** A card order for `qty` units (or for `items`), paid through a signed checkout.session.completed. */
async function paidOrder(qty: number | OrderInput['items']) {
  const view = await createOrder(input(typeof qty === 'number' ? [{ slug: SLUG, qty }] : qty), { t, locale: 'en', origin: 'https://cho-ocop.test', network: '10.9.0.0/16' });
  const session = fake.stripe.sessions.get([...fake.stripe.sessions.keys()].at(-1)!)!;
  const pi = `pi_${String(session.id)}`;
  expect((await hook('checkout.session.completed', { ...session, status: 'complete', payment_status: 'paid', payment_intent: pi })).outcome).toBe('paid');
  return { view, pi };
}
const charge = (pi: string, amountRefunded: number, refunded: boolean) => ({ id: `ch_${pi}`, object: 'charge', payment_intent: pi, amount_refunded: amountRefunded, refunded });
async function paymentOf(publicId: string) {
  const [r] = (await database.get().db.execute(sql`select p.status, p.amount, p.refunded_amount as "refundedAmount" from payments p
    join orders o on o.id = p.order_id where o.public_id = ${publicId} order by p.id desc limit 1`)) as unknown as Array<{ status: string; amount: number; refundedAmount: number }>;
  return { status: r!.status, amount: Number(r!.amount), refundedAmount: Number(r!.refundedAmount) };
}
const producerId = async (slug = SLUG) => Number(((await database.get().db.execute(sql`select producer_id as id from products where slug = ${slug}`)) as unknown as Array<{ id: number }>)[0]!.id);
const productId = async (slug: string) => Number(((await database.get().db.execute(sql`select id from products where slug = ${slug}`)) as unknown as Array<{ id: number }>)[0]!.id);
/** The notices queued for the customer of an order, oldest first. */
const notices = async (publicId: string) => ((await database.get().db.execute(sql`select payload from outbox
  where topic = 'orders.notify' and payload->>'publicId' = ${publicId} order by id`)) as unknown as Array<{ payload: OrderNotification }>).map((r) => r.payload);
const said = (n: OrderNotification) => ({ kind: n.kind, status: n.status });

describe('refunds from Stripe put units back exactly once', () => {
  it('a full refund of a paid, unshipped order cancels it and returns its units; a replay or a redelivery changes nothing', async () => {
    const start = await ledger();
    const { view, pi } = await paidOrder(3);
    const paid = await ledger();
    expect(paid).toEqual({ stock: start.stock - 3, reserved: start.reserved, sold: start.sold + 3 });

    const e = signedStripeEvent('charge.refunded', charge(pi, view.total, true), SECRET);
    expect(await handleStripeWebhook(e.payload, e.header)).toEqual({ duplicate: false, outcome: 'refunded' });
    expect(await ledger()).toEqual(start);
    const after = (await getOrderView(view.publicId))!;
    expect(after.status).toBe('refunded');
    expect(after.events.filter((x) => x.type === 'status').map((x) => [x.from, x.to, x.cause])).toEqual([
      [null, 'pending_payment', 'order_placed'], ['pending_payment', 'paid', 'card_payment'], ['paid', 'cancelled', 'card_refunded'], ['cancelled', 'refunded', 'card_refunded'],
    ]);
    expect(after.parts.every((p) => p.status === 'cancelled')).toBe(true);
    expect(await paymentOf(view.publicId)).toEqual({ status: 'refunded', amount: view.total, refundedAmount: view.total });

    // The same event again (a replay), and the same refund under another event id (a redelivery).
    expect(await handleStripeWebhook(e.payload, e.header)).toEqual({ duplicate: true, outcome: null });
    expect((await hook('charge.refunded', charge(pi, view.total, true))).outcome).toBe('duplicate');
    expect(await ledger()).toEqual(start);
    const [released] = (await database.get().db.execute(sql`select count(*)::int as n from order_events e join orders o on o.id = e.order_id
      where o.public_id = ${view.publicId} and e.to_status = 'cancelled'`)) as unknown as Array<{ n: number }>;
    expect(Number(released!.n)).toBe(1);
  });

  it('a full refund after shipping returns nothing to stock but is recorded, and the order is refunded', async () => {
    const { view, pi } = await paidOrder(2);
    expect(await advancePart(view.publicId, await producerId(), 'shipped', 'producer', { carrier: 'VNPost', trackingNumber: 'EX123' })).toBe(true);
    const shipped = await ledger();
    expect((await hook('charge.refunded', charge(pi, view.total, true))).outcome).toBe('refunded');
    expect(await ledger()).toEqual(shipped);
    const after = (await getOrderView(view.publicId))!;
    expect(after.status).toBe('refunded');
    expect(after.events.map((x) => x.type)).toContain('refund_after_shipping');
    expect(after.events.some((x) => x.to === 'cancelled')).toBe(false);
    expect(await paymentOf(view.publicId)).toMatchObject({ status: 'refunded', refundedAmount: view.total });
  });

  it('a full refund when one producer\'s parcel has shipped and another\'s has not: that one is cancelled and its units return, once; the shipped units stay out', async () => {
    const start = { tea: await ledger(SLUG), rice: await ledger(OTHER) };
    const { view, pi } = await paidOrder([{ slug: SLUG, qty: 2 }, { slug: OTHER, qty: 3 }]);
    expect(view.parts).toHaveLength(2);
    expect(await advancePart(view.publicId, await producerId(OTHER), 'preparing', 'producer')).toBe(true);
    expect(await advancePart(view.publicId, await producerId(SLUG), 'shipped', 'producer', { carrier: 'VNPost', trackingNumber: 'EX456' })).toBe(true);
    expect((await getOrderView(view.publicId))!.status).toBe('processing');

    const e = signedStripeEvent('charge.refunded', charge(pi, view.total, true), SECRET);
    expect(await handleStripeWebhook(e.payload, e.header)).toEqual({ duplicate: false, outcome: 'refunded' });
    const returned = { tea: { ...start.tea, stock: start.tea.stock - 2, sold: start.tea.sold + 2 }, rice: start.rice };
    expect({ tea: await ledger(SLUG), rice: await ledger(OTHER) }).toEqual(returned);

    const after = (await getOrderView(view.publicId))!;
    expect(after.status).toBe('refunded');
    expect(Object.fromEntries(after.parts.map((p) => [p.items[0]!.slug, p.status]))).toEqual({ [SLUG]: 'shipped', [OTHER]: 'cancelled' });
    // The order went processing → refunded (its shipped parcel was never cancelled); the cancelled parcel is in the timeline.
    expect(after.events.filter((x) => x.type === 'status').map((x) => x.to)).toEqual(['pending_payment', 'paid', 'processing', 'refunded']);
    expect(after.events.map((x) => x.type)).toContain('refund_after_shipping');
    const cancelled = (await database.get().db.execute(sql`select e.from_status as "from", e.cause, e.data, e.order_part_id is not null as "ofPart"
      from order_events e join orders o on o.id = e.order_id where o.public_id = ${view.publicId} and e.to_status = 'cancelled'`)) as unknown as Array<Record<string, unknown>>;
    expect(cancelled).toEqual([{ from: 'preparing', cause: 'card_refunded', ofPart: true, data: { returnedToStock: { [await productId(OTHER)]: 3 } } }]);
    expect(after.events.find((x) => x.to === 'cancelled')?.producer).toBeTruthy();
    expect(await paymentOf(view.publicId)).toEqual({ status: 'refunded', amount: view.total, refundedAmount: view.total });
    // The producer who shipped still sees that parcel (its credit was reversed: the goods must come back), with no step left;
    // the other producer's cancelled parcel is gone from its list.
    const shippedPart = (await listProducerParts(await producerId(SLUG))).find((p) => p.publicId === view.publicId);
    expect(shippedPart).toMatchObject({ orderStatus: 'refunded', partStatus: 'shipped' });
    await expect(advancePart(view.publicId, await producerId(SLUG), 'delivered', 'producer')).rejects.toMatchObject({ code: 'orders.not_confirmed' });
    expect((await listProducerParts(await producerId(OTHER))).some((p) => p.publicId === view.publicId)).toBe(false);

    // A replay and a redelivery under another event id move nothing and record nothing more.
    expect(await handleStripeWebhook(e.payload, e.header)).toEqual({ duplicate: true, outcome: null });
    expect((await hook('charge.refunded', charge(pi, view.total, true))).outcome).toBe('duplicate');
    expect({ tea: await ledger(SLUG), rice: await ledger(OTHER) }).toEqual(returned);
    expect((await getOrderView(view.publicId))!.events).toHaveLength(after.events.length);
    expect(total(await ledger(SLUG))).toBe(total(start.tea));
    expect(total(await ledger(OTHER))).toBe(total(start.rice));
  });

  it('partial refunds are acknowledged and recorded on the payment, move no stock; a later full refund still returns the units', async () => {
    const start = await ledger();
    const { view, pi } = await paidOrder(2);
    const paid = await ledger();
    expect((await hook('charge.refunded', charge(pi, 50_000, false))).outcome).toBe('partially_refunded');
    expect((await hook('charge.refunded', charge(pi, 120_000, false))).outcome).toBe('partially_refunded');
    // An older event arriving late never lowers what was recorded.
    expect((await hook('charge.refunded', charge(pi, 50_000, false))).outcome).toBe('noop');
    expect(await ledger()).toEqual(paid);
    expect(await paymentOf(view.publicId)).toEqual({ status: 'succeeded', amount: view.total, refundedAmount: 120_000 });
    const mid = (await getOrderView(view.publicId))!;
    expect(mid.status).toBe('paid');
    expect(mid.events.filter((x) => x.type === 'partial_refund')).toHaveLength(2);

    expect((await hook('charge.refunded', charge(pi, view.total, true))).outcome).toBe('refunded');
    expect(await ledger()).toEqual(start);
    expect(total(await ledger())).toBe(total(start));
    expect(await paymentOf(view.publicId)).toEqual({ status: 'refunded', amount: view.total, refundedAmount: view.total });
  });
});

describe('what the customer is told about a refund', () => {
  it('a refund that cancels the order sends one notice, "cancelled and refunded", in Vietnamese and English; a replay sends nothing more', async () => {
    const { view, pi } = await paidOrder(1);
    const e = signedStripeEvent('charge.refunded', charge(pi, view.total, true), SECRET);
    expect((await handleStripeWebhook(e.payload, e.header)).outcome).toBe('refunded');
    expect((await hook('charge.refunded', charge(pi, view.total, true))).outcome).toBe('duplicate');
    const sent = await notices(view.publicId);
    expect(sent.map(said)).toEqual([
      { kind: 'confirmation', status: 'pending_payment' }, { kind: 'status', status: 'paid' }, { kind: 'cancelled_refunded', status: 'refunded' },
    ]);
    const last = sent.at(-1)!;
    const amount = new Intl.NumberFormat('en', { style: 'currency', currency: 'VND' }).format(view.total);
    expect(noticeText(last)).toBe(`Chợ OCOP: order ${view.reference} was cancelled and the ${amount} you paid has been refunded.`);
    const vi = noticeText({ ...last, locale: 'vi' });
    expect(vi).toContain(`đơn ${view.reference} đã được huỷ`);
    expect(vi).toContain('đã được hoàn lại');
  });

  it('a refund after shipping says refunded; a partial refund says how much came back', async () => {
    const shipped = await paidOrder(1);
    await advancePart(shipped.view.publicId, await producerId(), 'shipped', 'producer');
    await hook('charge.refunded', charge(shipped.pi, shipped.view.total, true));
    const afterShipping = (await notices(shipped.view.publicId)).slice(2);
    expect(afterShipping.map(said)).toEqual([{ kind: 'status', status: 'processing' }, { kind: 'status', status: 'shipped' }, { kind: 'parcel', status: 'shipped' }, { kind: 'status', status: 'refunded' }]);
    expect(noticeText(afterShipping.at(-1)!)).toBe(`Chợ OCOP: order ${shipped.view.reference} — Refunded.`);
    expect(noticeText({ ...afterShipping.at(-1)!, locale: 'vi' })).toBe(`Chợ OCOP: đơn ${shipped.view.reference} — Đã hoàn tiền.`);

    const partly = await paidOrder(1);
    await hook('charge.refunded', charge(partly.pi, 50_000, false));
    await hook('charge.refunded', charge(partly.pi, 50_000, false));
    const partial = (await notices(partly.view.publicId)).slice(2);
    expect(partial.map((n) => ({ ...said(n), refunded: n.refunded }))).toEqual([{ kind: 'partial_refund', status: 'paid', refunded: 50_000 }]);
    expect(noticeText(partial[0]!)).toMatch(/^Chợ OCOP: ₫50,000 of the ₫[\d,]+ you paid for order OCOP\w+ has been refunded\.$/);
    expect(noticeText({ ...partial[0]!, locale: 'vi' })).toMatch(/^Chợ OCOP: 50\.000\s₫ trong số [\d.]+\s₫ bạn đã thanh toán cho đơn OCOP\w+ đã được hoàn lại\.$/);
  });
});
