import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/db.ts';
import { signedStripeEvent } from '../support/fake-stripe.ts';
import { useFakeStripe } from '../support/stripe-env.ts';
import { createT } from '../../src/lib/i18n/index.ts';
import { createOrder, getOrderView, handleStripeWebhook, syncCheckoutReturn, expireLapsedOrders, type OrderInput } from '../../src/lib/orders/index.ts';
import { drainOutbox } from '../../src/lib/outbox/index.ts';
import { isAppError, type AppError } from '../../src/lib/errors/index.ts';
import { payoutBalances } from '../../src/lib/payments/index.ts';

const SECRET = 'whsec_test_orders_issue_5';
const fake = useFakeStripe(SECRET, 'sk_test_orders');
const database = useTestDatabase();

const t = createT('en');
const ctx = { t, locale: 'en' as const, origin: 'https://cho-ocop.test' };
const input = (items: OrderInput['items']): OrderInput => ({
  items, payment: 'card',
  customer: { name: 'Jane Doe', phone: '0987654321', email: 'jane@example.com', address: { line: '1 Trang Tien', commune: 'Hoan Kiem', province: 'ha-noi' } },
});

const signed = (type: string, object: Record<string, unknown>, opts: { id?: string; secret?: string } = {}) => signedStripeEvent(type, object, opts.secret ?? SECRET, opts.id);
const completed = (session: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  signed('checkout.session.completed', { ...session, status: 'complete', payment_status: 'paid', payment_intent: `pi_${String(session.id)}`, ...extra });

async function stockOf(slug: string) {
  const [r] = (await database.get().db.execute(sql`select stock, reserved from products where slug = ${slug}`)) as unknown as Array<{ stock: number; reserved: number }>;
  return { stock: Number(r!.stock), reserved: Number(r!.reserved) };
}
async function placeCardOrder(slug = 'che-dinh-tan-cuong', qty = 1) {
  const view = await createOrder(input([{ slug, qty }]), ctx);
  const create = fake.stripe.requests.filter((r) => r.path === '/v1/checkout/sessions' && r.method === 'POST').at(-1)!;
  const session = fake.stripe.sessions.get([...fake.stripe.sessions.keys()].at(-1)!)!;
  return { view, create, session };
}

describe('card payments through Stripe Checkout (API stand-in on STRIPE_API_BASE)', () => {
  it('reserves before creating the session and sends the exact VND total, zero-decimal, with an idempotency key', async () => {
    const before = await stockOf('che-dinh-tan-cuong');
    const { view, create, session } = await placeCardOrder('che-dinh-tan-cuong', 2);
    expect(view.status).toBe('pending_payment');
    expect(view.payment).toMatchObject({ method: 'card', status: 'pending', url: session.url });
    expect(await stockOf('che-dinh-tan-cuong')).toEqual({ stock: before.stock - 2, reserved: before.reserved + 2 });
    // 2 × 800,000 đ + shipping: the integer đồng as is, never × 100.
    expect(Number(create.form['line_items[0][price_data][unit_amount]'])).toBe(view.total);
    expect(view.total).toBe(1_600_000 + view.shippingTotal);
    expect(create.form['line_items[0][price_data][currency]']).toBe('vnd');
    expect(create.form['line_items[0][quantity]']).toBe('1');
    expect(create.form['client_reference_id']).toBe(view.publicId);
    expect(create.headers['idempotency-key']).toBe(`checkout:${view.publicId}`);
    const expiresIn = Number(create.form['expires_at']) - Date.now() / 1000;
    expect(expiresIn).toBeGreaterThan(30 * 60);
    expect(expiresIn).toBeLessThan(32 * 60);
    expect(create.form['success_url']).toBe(`https://cho-ocop.test/en/orders/${view.publicId}?checkout=success&session_id={CHECKOUT_SESSION_ID}`);
    expect(create.form['cancel_url']).toBe(`https://cho-ocop.test/en/orders/${view.publicId}?checkout=cancelled`);
  });

  it('refuses amounts Stripe cannot take, before holding anything', async () => {
    const before = await stockOf('gao-daka');
    await expect(createOrder(input([{ slug: 'gao-daka', qty: 99 }, { slug: 'binh-ty-ba-gom-chu-dau', qty: 25 }]), ctx)).rejects.toMatchObject({ status: 400, fields: { payment: expect.stringContaining('99,999,999') } });
    expect(await stockOf('gao-daka')).toEqual(before);
  });

  it('a forged signature is a 400 and changes nothing', async () => {
    const { view, session } = await placeCardOrder();
    const forged = completed(session, {});
    const tampered = forged.payload.replace('"paid"', '"paid" ');
    for (const [payload, header] of [[forged.payload, signed('x', {}, { secret: 'whsec_wrong' }).header], [tampered, forged.header], [forged.payload, null]] as const) {
      try {
        await handleStripeWebhook(payload, header);
        throw new Error('accepted');
      } catch (err) {
        expect(isAppError(err) && (err as AppError).status).toBe(400);
      }
    }
    expect((await getOrderView(view.publicId))!.status).toBe('pending_payment');
    const [n] = (await database.get().db.execute(sql`select count(*)::int as n from webhook_events`)) as unknown as Array<{ n: number }>;
    expect(Number(n!.n)).toBe(0);
  });

  it('completed → paid once; a replay, a duplicate with another id and a late "expired" change nothing', async () => {
    const before = await stockOf('che-dinh-tan-cuong');
    const { view, session } = await placeCardOrder();
    const event = completed(session);
    expect(await handleStripeWebhook(event.payload, event.header)).toEqual({ duplicate: false, outcome: 'paid' });
    expect(await handleStripeWebhook(event.payload, event.header)).toEqual({ duplicate: true, outcome: null });
    const resent = completed(session);
    expect(await handleStripeWebhook(resent.payload, resent.header)).toEqual({ duplicate: false, outcome: 'duplicate' });
    const expired = signed('checkout.session.expired', { ...session, status: 'expired' });
    expect(await handleStripeWebhook(expired.payload, expired.header)).toEqual({ duplicate: false, outcome: 'noop' });
    const paid = (await getOrderView(view.publicId))!;
    expect(paid.status).toBe('paid');
    expect(paid.events.filter((e) => e.to === 'paid')).toHaveLength(1);
    expect(await stockOf('che-dinh-tan-cuong')).toEqual({ stock: before.stock - 1, reserved: before.reserved });
    const credits = (await payoutBalances(database.get().db)).find((b) => b.producerSlug === 'htx-che-hao-dat')!;
    expect(credits.credits).toBeGreaterThan(0);
  });

  it('the success redirect and the webhook race without fulfilling twice', async () => {
    const { view, session } = await placeCardOrder();
    fake.stripe.sessions.set(String(session.id), { ...session, status: 'complete', payment_status: 'paid', payment_intent: `pi_${String(session.id)}` });
    const event = completed(session);
    const results = await Promise.all([syncCheckoutReturn(view.publicId, String(session.id)), handleStripeWebhook(event.payload, event.header).then((r) => r.outcome)]);
    expect(results.filter((r) => r === 'paid')).toHaveLength(1);
    const after = (await getOrderView(view.publicId))!;
    expect(after.status).toBe('paid');
    expect(after.events.filter((e) => e.to === 'paid')).toHaveLength(1);
    const [entries] = (await database.get().db.execute(sql`select count(*)::int as n from payout_entries e join order_parts p on p.id = e.order_part_id
      join orders o on o.id = p.order_id where o.public_id = ${view.publicId} and e.kind = 'credit'`)) as unknown as Array<{ n: number }>;
    expect(Number(entries!.n)).toBe(1);
  });

  it('expired → cancelled and the units released; a payment after the hold lapsed is refunded automatically', async () => {
    const before = await stockOf('che-dinh-tan-cuong');
    const { view, session } = await placeCardOrder();
    const expired = signed('checkout.session.expired', { ...session, status: 'expired' });
    expect((await handleStripeWebhook(expired.payload, expired.header)).outcome).toBe('cancelled');
    expect(await stockOf('che-dinh-tan-cuong')).toEqual(before);

    const late = await placeCardOrder();
    await database.get().db.execute(sql`update orders set reserved_until = now() - interval '1 second' where public_id = ${late.view.publicId}`);
    expect(await expireLapsedOrders()).toBe(1);
    // The sweeper closes the Checkout Session too, so nobody pays for released units…
    await drainOutbox(); // or the app's worker, whichever leases the message first
    await expect.poll(() => fake.stripe.requests.some((r) => r.method === 'POST' && r.path === `/v1/checkout/sessions/${String(late.session.id)}/expire`), { timeout: 10_000 }).toBe(true);
    expect(fake.stripe.sessions.get(String(late.session.id))!.status).toBe('expired');
    // …and a payment that still slipped through (completed just before) is refunded automatically.
    const event = completed(late.session);
    expect((await handleStripeWebhook(event.payload, event.header)).outcome).toBe('late');
    await drainOutbox();
    await expect.poll(async () => (await getOrderView(late.view.publicId))!.status, { timeout: 10_000 }).toBe('refunded');
    const refund = fake.stripe.requests.filter((r) => r.path === '/v1/refunds').at(-1)!;
    expect(refund.form).toMatchObject({ payment_intent: `pi_${String(late.session.id)}`, amount: String(late.view.total) });
    expect(refund.headers['idempotency-key']).toMatch(/^refund:\d+$/);
    const refunded = (await getOrderView(late.view.publicId))!;
    expect(refunded.status).toBe('refunded');
    expect(refunded.payment.status).toBe('refunded');
    expect(await stockOf('che-dinh-tan-cuong')).toEqual(before);
    // Stripe's own charge.refunded that follows is harmless.
    const charge = signed('charge.refunded', { id: 'ch_1', object: 'charge', payment_intent: `pi_${String(late.session.id)}`, amount_refunded: late.view.total, refunded: true });
    expect((await handleStripeWebhook(charge.payload, charge.header)).outcome).toBe('duplicate');
    expect(view.publicId).not.toBe(late.view.publicId);
  });

  it('charge.refunded on a paid order → refunded and the producer credit reversed', async () => {
    const { view, session } = await placeCardOrder();
    const paid = completed(session);
    await handleStripeWebhook(paid.payload, paid.header);
    const charge = signed('charge.refunded', { id: 'ch_2', object: 'charge', payment_intent: `pi_${String(session.id)}`, amount_refunded: view.total, refunded: true });
    expect((await handleStripeWebhook(charge.payload, charge.header)).outcome).toBe('refunded');
    expect((await getOrderView(view.publicId))!.status).toBe('refunded');
    const [sum] = (await database.get().db.execute(sql`select sum(e.amount)::int as n from payout_entries e join order_parts p on p.id = e.order_part_id
      join orders o on o.id = p.order_id where o.public_id = ${view.publicId}`)) as unknown as Array<{ n: number }>;
    expect(Number(sum!.n)).toBe(0);
  });

  it('when Stripe fails, the order is cancelled, its units released, and the customer told to retry', async () => {
    const before = await stockOf('che-dinh-tan-cuong');
    await fetch(`${fake.stripe.url}/__fail`, { method: 'POST' });
    await fetch(`${fake.stripe.url}/__fail`, { method: 'POST' });
    await fetch(`${fake.stripe.url}/__fail`, { method: 'POST' });
    await expect(createOrder(input([{ slug: 'che-dinh-tan-cuong', qty: 1 }]), ctx)).rejects.toMatchObject({ status: 503, code: 'payments.unavailable' });
    expect(await stockOf('che-dinh-tan-cuong')).toEqual(before);
  });
});
