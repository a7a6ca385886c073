import Stripe from 'stripe';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { servers } from '../support/http.ts';
import { serverSql } from '../support/server-sql.ts';

const stripe = inject('stripe');
const customer = { name: 'Trần Thị Bình', phone: '+84 912 345 678', email: 'binh@example.vn', address: { line: '5 Hùng Vương', commune: 'Phường Ba Đình', province: 'Ha Noi' } };

async function post(base: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(new URL(path, base), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as Record<string, any>, text, headers: res.headers };
}

describe.each(servers)('ordering over HTTP on $name', (server) => {
  const { url } = server;
  const sql = serverSql(server);
  afterAll(() => sql.end({ timeout: 5 }));
  const stockOf = async (slug: string) => (await sql`select stock, reserved from products where slug = ${slug}`)[0] as { stock: number; reserved: number };
  const orderCount = async () => Number((await sql`select count(*)::int as n from orders`)[0]!.n);

  it('50 concurrent POST /api/orders for the last 10 units: exactly 10 × 201 and 40 × 409, stock 0', async () => {
    await sql`update products set stock = 10, reserved = 0 where slug = 'nem-huan-hong'`;
    const responses = await Promise.all(Array.from({ length: 50 }, () => post(url, '/api/orders', { items: [{ slug: 'nem-huan-hong', qty: 1 }], customer, payment: 'cod' })));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s === 409)).toHaveLength(40);
    for (const r of responses.filter((x) => x.status === 409)) expect(r.body.error.code).toBe('orders.out_of_stock');
    expect(await stockOf('nem-huan-hong')).toEqual({ stock: 0, reserved: 0 });
  });

  it('POST /api/orders → 201 in the documented shape; GET /api/orders/<publicId> with parts, events and the VietQR', async () => {
    const created = await post(url, '/api/orders', { items: [{ combo: 'tra-viet-ba-mien', qty: 1 }, { slug: 'gao-daka', qty: 2 }], customer, payment: 'vietqr' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ publicId: expect.stringMatching(/^ord_/), status: 'pending_payment', total: expect.any(Number), payment: { method: 'vietqr', vietqr: { payload: expect.stringMatching(/^000201010212/), bank: expect.any(String), account: expect.any(String), amount: created.body.total, reference: expect.stringMatching(/^OCOP/) } } });
    const res = await fetch(new URL(`/api/orders/${created.body.publicId}`, url));
    const order = (await res.json()) as Record<string, any>;
    expect(res.status).toBe(200);
    // The gift box ships whole from its assembler (one parcel, one fee), beside the rice's own parcel.
    expect(order.parts.length).toBe(2);
    expect(order.events[0]).toMatchObject({ type: 'status', to: 'pending_payment' });
    expect(order.payment.vietqr.payload).toBe(created.body.payment.vietqr.payload);
    expect((await fetch(new URL('/api/orders/ord_00000000000000000000', url))).status).toBe(404);
  });

  it('Idempotency-Key: a replayed 201 says Idempotent-Replayed: true, the first answer does not (also when requests race)', async () => {
    const key = `replayed-${server.name}-${Date.now()}`;
    const order = { items: [{ slug: 'gao-daka', qty: 1 }], customer, payment: 'vietqr' };
    const first = await post(url, '/api/orders', order, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const again = await post(url, '/api/orders', order, { 'idempotency-key': key });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.text).toBe(first.text);
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    // Without a key, nothing is a replay.
    expect((await post(url, '/api/orders', order)).headers.get('idempotent-replayed')).toBeNull();

    const raced = `${key}-race`;
    const answers = await Promise.all(Array.from({ length: 6 }, () => post(url, '/api/orders', { ...order, payment: 'cod' }, { 'idempotency-key': raced })));
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(201));
    const marks = answers.map((a) => a.headers.get('idempotent-replayed'));
    expect({ first: marks.filter((m) => m === null).length, replays: marks.filter((m) => m === 'true').length }).toEqual({ first: 1, replays: 5 });
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
  });

  it('bad input is a 400 with per-field messages in vi or en, and nothing is written', async () => {
    const before = await orderCount();
    const cases: Array<[unknown, string]> = [
      [{ items: [{ slug: 'gao-daka', qty: -1 }], customer, payment: 'cod' }, 'items.0.qty'],
      [{ items: [{ slug: 'gao-daka', qty: 0 }], customer, payment: 'cod' }, 'items.0.qty'],
      [{ items: [{ slug: 'gao-daka', qty: 100000 }], customer, payment: 'cod' }, 'items.0.qty'],
      [{ items: [{ slug: 'gao-daka', qty: 1.5 }], customer, payment: 'cod' }, 'items.0.qty'],
      [{ items: [{ slug: 'khong-co-san-pham-nay', qty: 1 }], customer, payment: 'cod' }, 'items.0.slug'],
      [{ items: [{ combo: 'khong-co', qty: 1 }], customer, payment: 'cod' }, 'items.0.combo'],
      [{ items: [{ slug: 'gao-daka', qty: 1 }], customer: { ...customer, phone: '123' }, payment: 'cod' }, 'customer.phone'],
      [{ items: [{ slug: 'gao-daka', qty: 1 }], customer: { ...customer, address: { ...customer.address, province: 'Bình Định' } }, payment: 'cod' }, 'customer.address.province'],
      [{ items: [{ slug: 'gao-daka', qty: 1 }], customer, payment: 'paypal' }, 'payment'],
      [{ items: [{ slug: 'gao-daka', qty: 1 }], payment: 'cod' }, 'customer'],
      [{ items: 'gao-daka', customer, payment: 'cod' }, 'items'],
      ['{"items": [', 'body'],
      ['[]', 'body'],
    ];
    for (const [body, field] of cases) {
      const vi = await post(url, '/api/orders', body);
      expect(vi.status, JSON.stringify(body)).toBe(400);
      expect(vi.body.error.fields, JSON.stringify(body)).toHaveProperty([field]);
    }
    const en = await post(url, '/api/orders', cases[0]![0], { 'accept-language': 'en-GB,en;q=0.9,vi;q=0.5' });
    expect(en.body.error.fields['items.0.qty']).toBe('Quantity must be a whole number from 1 to 99.');
    const vi = await post(url, '/api/orders?lang=vi', cases[0]![0], { 'accept-language': 'en' });
    expect(vi.body.error.fields['items.0.qty']).toBe('Số lượng phải là số nguyên từ 1 đến 99.');
    expect(await orderCount()).toBe(before);
  });

  it('card: Stripe session URL; forged webhook → 400 and nothing changes; signed completed → paid; replay and late expiry change nothing', async () => {
    const before = await stockOf('che-dinh-tan-cuong');
    const created = await post(url, '/api/orders', { items: [{ slug: 'che-dinh-tan-cuong', qty: 1 }], customer, payment: 'card' });
    expect(created.status).toBe(201);
    expect(created.body.payment.url).toMatch(/^https:\/\/checkout\.stripe\.test\//);
    const sent = ((await (await fetch(`${stripe.url}/__requests`)).json()) as Array<{ path: string; form: Record<string, string> }>)
      .filter((r) => r.path === '/v1/checkout/sessions' && r.form['client_reference_id'] === created.body.publicId);
    expect(sent).toHaveLength(1);
    expect(Number(sent[0]!.form['line_items[0][price_data][unit_amount]'])).toBe(created.body.total);
    const sessionId = /\/pay\/(cs_[\w]+)/.exec(created.body.payment.url)![1]!;
    const session = { id: sessionId, object: 'checkout.session', client_reference_id: created.body.publicId, amount_total: created.body.total, currency: 'vnd', payment_status: 'paid', status: 'complete', payment_intent: `pi_${sessionId}`, metadata: {} };
    const event = (type: string, object: Record<string, unknown>, id: string) => JSON.stringify({ id, object: 'event', type, created: Math.floor(Date.now() / 1000), data: { object } });
    const completed = event('checkout.session.completed', session, `evt_${sessionId}_1`);
    const hook = (payload: string, signature: string) => fetch(new URL('/api/webhooks/stripe', url), { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': signature }, body: payload });

    const forged = await hook(completed, Stripe.webhooks.generateTestHeaderString({ payload: completed, secret: 'whsec_attacker' }));
    expect(forged.status).toBe(400);
    const status = async () => ((await (await fetch(new URL(`/api/orders/${created.body.publicId}`, url))).json()) as Record<string, any>).status;
    expect(await status()).toBe('pending_payment');

    const signature = Stripe.webhooks.generateTestHeaderString({ payload: completed, secret: stripe.webhookSecret });
    const ok = await hook(completed, signature);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ received: true, duplicate: false, outcome: 'paid' });
    expect(await status()).toBe('paid');
    expect(await (await hook(completed, signature)).json()).toEqual({ received: true, duplicate: true, outcome: null });
    const expired = event('checkout.session.expired', { ...session, status: 'expired', payment_status: 'unpaid' }, `evt_${sessionId}_2`);
    const late = await hook(expired, Stripe.webhooks.generateTestHeaderString({ payload: expired, secret: stripe.webhookSecret }));
    expect(await late.json()).toEqual({ received: true, duplicate: false, outcome: 'noop' });
    expect(await status()).toBe('paid');
    expect(await stockOf('che-dinh-tan-cuong')).toEqual({ stock: before.stock - 1, reserved: before.reserved });
  });

  it('card: a paid booking cancelled by its customer before the cut-off is refunded through Stripe, once, and its seats come back', async () => {
    // A session of an experience that still sells: other suites on this server suspend producers and
    // revoke certificates, and files run in no fixed order.
    const [session] = await sql`select s.id, p.slug from experience_sessions s join products p on p.id = s.product_id join producers pr on pr.id = p.producer_id
      where p.kind = 'experience' and p.status = 'published' and pr.status = 'verified' and s.status = 'open'
        and exists (select 1 from certificates c where c.product_id = p.id and c.status = 'active' and c.valid_until >= current_date)
        and s.starts_on > (now() + interval '5 days')::date and s.capacity - s.booked >= 2 order by s.starts_on desc, s.id limit 1`;
    const booked = async () => Number((await sql`select booked from experience_sessions where id = ${session!.id}`)[0]!.booked);
    const seatsBefore = await booked();
    const created = await post(url, '/api/orders', { items: [{ slug: session!.slug, session: Number(session!.id), qty: 2 }], customer, payment: 'card' });
    expect(created.status).toBe(201);
    expect(await booked()).toBe(seatsBefore + 2);
    const sessionId = /\/pay\/(cs_[\w]+)/.exec(created.body.payment.url)![1]!;
    const object = { id: sessionId, object: 'checkout.session', client_reference_id: created.body.publicId, amount_total: created.body.total, currency: 'vnd', payment_status: 'paid', status: 'complete', payment_intent: `pi_${sessionId}`, metadata: {} };
    const payload = JSON.stringify({ id: `evt_${sessionId}_paid`, object: 'event', type: 'checkout.session.completed', created: Math.floor(Date.now() / 1000), data: { object } });
    const paid = await fetch(new URL('/api/webhooks/stripe', url), { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret: stripe.webhookSecret }) }, body: payload });
    expect(await paid.json()).toMatchObject({ outcome: 'paid' });
    const view = async () => (await (await fetch(new URL(`/api/orders/${created.body.publicId}`, url))).json()) as Record<string, any>;
    expect(await view()).toMatchObject({ status: 'paid', cancellable: true });
    // The order page says the money comes back, and its cancel button does it.
    const page = await (await fetch(new URL(`/en/orders/${created.body.publicId}`, url))).text();
    expect(page).toContain('Paid by card: if you cancel, the money goes back to your card automatically.');
    const cancel = () => fetch(new URL(`/orders/${created.body.publicId}`, url), { method: 'POST', redirect: 'manual', headers: { origin: url, 'content-type': 'application/x-www-form-urlencoded' }, body: 'intent=cancel' });
    expect((await cancel()).headers.get('location')).toMatch(/\?cancelled=1$/);
    expect(await booked()).toBe(seatsBefore);
    // The refund goes to Stripe through the outbox, then the order is refunded.
    // The payment as this server recorded it (its gateway id), then the refunds asked for it.
    const intent = async () => String((await sql`select p.provider_payment_id from payments p join orders o on o.id = p.order_id where o.public_id = ${created.body.publicId} order by p.id desc limit 1`)[0]!.provider_payment_id);
    const refunds = async () => {
      const id = await intent();
      return ((await (await fetch(`${stripe.url}/__requests`)).json()) as Array<{ path: string; form: Record<string, string> }>)
        .filter((r) => r.path === '/v1/refunds' && r.form['payment_intent'] === id);
    };
    for (let i = 0; i < 100 && (await view()).status !== 'refunded'; i++) await new Promise((r) => setTimeout(r, 100));
    expect((await view()).status).toBe('refunded');
    expect((await refunds()).map((r) => Number(r.form['amount']))).toEqual([created.body.total]);
    expect((await cancel()).headers.get('location')).not.toMatch(/cancelled=1/);
    expect(await refunds()).toHaveLength(1);
  });

  it('cart and checkout work as plain HTML forms (no JavaScript), with a secure cart cookie', async () => {
    const headers = { origin: url, 'content-type': 'application/x-www-form-urlencoded' };
    const add = await fetch(new URL('/cart', url), { method: 'POST', headers, body: 'intent=add&key=p%3Agao-daka&qty=2', redirect: 'manual' });
    expect(add.status).toBe(303);
    expect(add.headers.get('location')).toBe('/cart?notice=added');
    const setCookie = add.headers.getSetCookie();
    const cart = setCookie.find((c) => c.startsWith('cart='))!;
    expect(cart).toMatch(/HttpOnly/i);
    expect(cart).toMatch(/SameSite=Lax/i);
    const cookie = setCookie.map((c) => c.split(';')[0]).join('; ');
    const page = await (await fetch(new URL('/en/cart', url), { headers: { cookie } })).text();
    expect(page).toContain('DAKA rice');
    expect(page).toMatch(/class="cart-count"><i aria-hidden="true">2<\/i>/);

    const invalid = await (await fetch(new URL('/en/checkout', url), { method: 'POST', headers: { ...headers, cookie }, body: 'name=&phone=12&line=x&commune=y&province=atlantis&payment=cod&intent=quote' })).text();
    expect(invalid).toContain('Not a valid Vietnamese phone number');
    expect(invalid).toContain('This field is required.');
    expect(invalid).toContain('Choose one of the 34 provinces and cities.');
    expect(invalid).toContain('aria-invalid="true"');
    const form = new URLSearchParams({ name: 'Lê Văn Cường', phone: '0987 654 321', email: '', line: '10 Trần Phú', commune: 'Phường Hải Châu', province: 'da-nang', note: '', payment: 'cod', intent: 'quote' });
    const quote = await fetch(new URL('/checkout', url), { method: 'POST', headers: { ...headers, cookie }, body: form.toString(), redirect: 'manual' });
    expect(quote.status).toBe(200);
    const html = await quote.text();
    const total = /name="shownTotal" value="(\d+)"/.exec(html)?.[1];
    expect(total).toBeTruthy();
    form.set('intent', 'place');
    form.set('shownTotal', String(Number(total) - 1));
    const stale = await fetch(new URL('/checkout', url), { method: 'POST', headers: { ...headers, cookie }, body: form.toString(), redirect: 'manual' });
    expect(stale.status).toBe(200);
    form.set('shownTotal', total!);
    const placed = await fetch(new URL('/checkout', url), { method: 'POST', headers: { ...headers, cookie }, body: form.toString(), redirect: 'manual' });
    expect(placed.status).toBe(303);
    const location = placed.headers.get('location')!;
    expect(location).toMatch(/^\/orders\/ord_[0-9a-z]{20}$/);
    const order = (await (await fetch(new URL(`/api${location}`, url))).json()) as Record<string, any>;
    expect(order).toMatchObject({ status: 'processing', total: Number(total), payment: { method: 'cod' } });
    const after = await (await fetch(new URL('/en/checkout', url), { headers: { cookie } })).text();
    expect(after).toContain('Your cart is empty');

    // The customer cancels from the order page (plain form): the units come back, once.
    const held = await stockOf('gao-daka');
    const orderPage = await (await fetch(new URL(`/en${location}`, url))).text();
    expect(orderPage).toContain('Cancel the order');
    const cancel = () => fetch(new URL(`/en${location}`, url), { method: 'POST', headers, body: 'intent=cancel', redirect: 'manual' });
    const first = await cancel();
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe(`/en${location}?cancelled=1`);
    expect((await cancel()).headers.get('location')).toBe(`/en${location}`);
    expect(await stockOf('gao-daka')).toEqual({ stock: held.stock + 2, reserved: held.reserved });
    const cancelled = (await (await fetch(new URL(`/api${location}`, url))).json()) as Record<string, any>;
    expect(cancelled).toMatchObject({ status: 'cancelled', cancellable: false });
  });
});
