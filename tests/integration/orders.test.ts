import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/db.ts';
import { createT } from '../../src/lib/i18n/index.ts';
import {
  cancelOrder, createOrder, expireLapsedOrders, getOrderView, importBankStatement, markPaidByOffice, noticeText, type OrderInput, type OrderNotification,
} from '../../src/lib/orders/index.ts';
import { decodeVietQr, payoutBalances, payoutCsv } from '../../src/lib/payments/index.ts';
import { drainOutbox } from '../../src/lib/outbox/index.ts';
import { isAppError, type AppError } from '../../src/lib/errors/index.ts';

const database = useTestDatabase();
const t = createT('vi');
const ctx = { t, locale: 'vi' as const, origin: 'http://shop.test' };
const customer = { name: 'Nguyễn Văn An', phone: '0912 345 678', email: 'an@example.vn', address: { line: '12 Lê Lợi', commune: 'Phường Hạc Thành', province: 'Thanh Hoa' } };
const order = (items: OrderInput['items'], payment: OrderInput['payment'] = 'cod'): OrderInput => ({ items, customer: { ...customer, phone: '0912345678', address: { ...customer.address, province: 'thanh-hoa' } }, payment });

async function stockOf(slug: string): Promise<{ stock: number; reserved: number }> {
  const rows = await database.get().db.execute(sql`select stock, reserved from products where slug = ${slug}`);
  const r = (rows as unknown as Array<{ stock: number; reserved: number }>)[0]!;
  return { stock: Number(r.stock), reserved: Number(r.reserved) };
}
async function setStock(slug: string, stock: number): Promise<void> {
  await database.get().db.execute(sql`update products set stock = ${stock}, reserved = 0 where slug = ${slug}`);
}
async function soldOf(slug: string): Promise<number> {
  const rows = await database.get().db.execute(sql`select coalesce(sum(oi.qty), 0)::int as n from order_items oi
    join order_parts op on op.id = oi.order_part_id join orders o on o.id = op.order_id join products p on p.id = oi.product_id
    where p.slug = ${slug} and o.stock_released_at is null and o.status <> 'pending_payment'`);
  return Number((rows as unknown as Array<{ n: number }>)[0]!.n);
}
async function settle<T>(promises: Array<Promise<T>>) {
  const results = await Promise.allSettled(promises);
  const ok = results.filter((r) => r.status === 'fulfilled').length;
  const errors = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as AppError] : []));
  return { ok, errors };
}

describe('checkout', () => {
  beforeAll(async () => {
    await setStock('nuoc-mam-nam-quyen', 50);
    await setStock('mam-tom-le-gia', 50);
    await setStock('nuoc-mam-phu-quoc-khai-hoan-40-do-dam', 50);
    await setStock('gao-daka', 50);
  });

  it('cash on delivery: one parcel per shipper (the combo whole with its assembler), combo price split over its producers, totals add up, units taken', async () => {
    const before = await stockOf('mam-tom-le-gia');
    const view = await createOrder(order([{ combo: 'huong-vi-bien-viet', qty: 1 }, { slug: 'gao-daka', qty: 2 }, { slug: 'mam-tom-le-gia', qty: 1 }]), ctx);
    expect(view.status).toBe('processing');
    expect(view.publicId).toMatch(/^ord_[0-9a-z]{20}$/);
    expect(view.reference).toMatch(/^OCOP[0-9A-Z]{10}$/);
    // The combo's three producers' components travel as ONE parcel from its assembler (Nam Quyen, its first component's producer).
    expect(view.parts.map((p) => p.producer.slug).sort()).toEqual(['co-so-nuoc-mam-nam-quyen', 'cong-ty-le-gia', 'htx-dv-nong-nghiep-dak-kan']);
    expect(view.total).toBe(view.subtotal + view.shippingTotal);
    expect(view.parts.reduce((s, p) => s + p.subtotal + p.shippingFee, 0)).toBe(view.total);
    // The combo price is split over its three producers and adds up exactly.
    const comboLines = view.parts.flatMap((p) => p.items.filter((i) => i.combo));
    expect(comboLines).toHaveLength(3);
    expect(view.parts.filter((p) => p.items.some((i) => i.combo))).toHaveLength(1);
    const [combo] = (await database.get().db.execute(sql`select price from combos where slug = 'huong-vi-bien-viet'`)) as unknown as Array<{ price: number }>;
    expect(comboLines.reduce((s, i) => s + i.lineTotal, 0)).toBe(Number(combo!.price));
    // Same-province parcel (Thanh Hoa → Thanh Hoa) vs. another region.
    const leGia = view.parts.find((p) => p.producer.slug === 'cong-ty-le-gia')!;
    expect(leGia.items.map((i) => i.qty)).toEqual([1]);
    expect((await stockOf('mam-tom-le-gia')).stock).toBe(before.stock - 2);
    expect(view.events[0]).toMatchObject({ type: 'status', from: null, to: 'processing', cause: 'order_placed' });
    expect(view.payment).toEqual({ method: 'cod', status: 'pending' });
    // The confirmation went to the outbox in the same transaction.
    const [n] = (await database.get().db.execute(sql`select count(*)::int as n from outbox where topic = 'orders.notify' and payload->>'publicId' = ${view.publicId}`)) as unknown as Array<{ n: number }>;
    expect(Number(n!.n)).toBe(1);
  });

  it('VietQR: the units are held, the QR encodes the exact total and reference, the office marks it paid', async () => {
    const before = await stockOf('gao-daka');
    const view = await createOrder(order([{ slug: 'gao-daka', qty: 3 }], 'vietqr'), ctx);
    expect(view.status).toBe('pending_payment');
    expect(await stockOf('gao-daka')).toEqual({ stock: before.stock - 3, reserved: before.reserved + 3 });
    const qr = view.payment.vietqr!;
    expect(qr).toMatchObject({ bank: 'Vietcombank', account: '0011004386868', amount: view.total, reference: view.reference });
    expect(decodeVietQr(qr.payload)).toMatchObject({ bin: '970436', account: '0011004386868', amount: view.total, purpose: view.reference, pointOfInitiation: '12', currency: '704', country: 'VN', service: 'QRIBFTTA', crcValid: true });
    expect(await markPaidByOffice(view.publicId, 'office')).toBe('paid');
    expect(await markPaidByOffice(view.publicId, 'office')).toBe('duplicate');
    expect(await stockOf('gao-daka')).toEqual({ stock: before.stock - 3, reserved: before.reserved });
    const paid = (await getOrderView(view.publicId))!;
    expect(paid.status).toBe('paid');
    expect(paid.payment.vietqr).toBeUndefined();
    // The producer is owed its goods and shipping, minus the platform's 5 % commission.
    const part = paid.parts[0]!;
    const balance = (await payoutBalances(database.get().db)).find((b) => b.producerSlug === 'htx-dv-nong-nghiep-dak-kan')!;
    expect(balance.credits).toBe(part.subtotal + part.shippingFee);
    expect(balance.fees).toBe(Math.round(part.subtotal * 0.05));
    expect(payoutCsv([balance])).toContain(`"htx-dv-nong-nghiep-dak-kan"`);
  });

  it('bank-statement import matches reference and amount, once', async () => {
    const a = await createOrder(order([{ slug: 'nuoc-mam-nam-quyen', qty: 1 }], 'vietqr'), ctx);
    const b = await createOrder(order([{ slug: 'nuoc-mam-nam-quyen', qty: 2 }], 'vietqr'), ctx);
    const csv = [
      'Ngày giao dịch,Mã giao dịch,Số tiền,Nội dung',
      `27/11/2026,FT001,"${a.total.toLocaleString('vi-VN')}",CK ${a.reference.slice(0, 6)} ${a.reference.slice(6)} thanh toan`,
      `27/11/2026,FT002,${b.total - 1000},${b.reference}`,
      '27/11/2026,FT003,50000,chuyen tien an trua',
    ].join('\n');
    const first = await importBankStatement(csv);
    expect(first.rows.map((r) => r.result)).toEqual(['paid', 'amount_mismatch', 'no_reference']);
    expect((await getOrderView(a.publicId))!.status).toBe('paid');
    expect((await getOrderView(b.publicId))!.status).toBe('pending_payment');
    const again = await importBankStatement(csv);
    expect(again.rows[0]!.result).toBe('already_imported');
  });

  it('expired holds are released once; cancelling releases once', async () => {
    const before = await stockOf('nuoc-mam-nam-quyen');
    const view = await createOrder(order([{ slug: 'nuoc-mam-nam-quyen', qty: 4 }], 'vietqr'), ctx);
    await database.get().db.execute(sql`update orders set reserved_until = now() - interval '1 minute' where public_id = ${view.publicId}`);
    expect(await expireLapsedOrders()).toBeGreaterThanOrEqual(1);
    expect(await expireLapsedOrders()).toBe(0);
    expect(await stockOf('nuoc-mam-nam-quyen')).toEqual(before);
    const expired = (await getOrderView(view.publicId))!;
    expect(expired.status).toBe('cancelled');
    expect(expired.events.at(-1)).toMatchObject({ from: 'pending_payment', to: 'cancelled', cause: 'reservation_expired' });
    // A late office confirmation does not revive it.
    expect(await markPaidByOffice(view.publicId, 'office')).toBe('late');
    expect((await getOrderView(view.publicId))!.status).toBe('cancelled');

    const cod = await createOrder(order([{ slug: 'nuoc-mam-nam-quyen', qty: 2 }]), ctx);
    expect(await cancelOrder(cod.publicId, 'customer_cancelled', 'customer')).toBe(true);
    expect(await cancelOrder(cod.publicId, 'customer_cancelled', 'customer')).toBe(false);
    expect(await stockOf('nuoc-mam-nam-quyen')).toEqual(before);
  });

  it('a cancellation without payment tells the customer once that the order is cancelled, in their language', async () => {
    const view = await createOrder(order([{ slug: 'nuoc-mam-nam-quyen', qty: 1 }], 'vietqr'), ctx);
    expect(await cancelOrder(view.publicId, 'customer_cancelled', 'customer')).toBe(true);
    expect(await cancelOrder(view.publicId, 'customer_cancelled', 'customer')).toBe(false);
    const sent = ((await database.get().db.execute(sql`select payload from outbox where topic = 'orders.notify' and payload->>'publicId' = ${view.publicId}
      order by id`)) as unknown as Array<{ payload: OrderNotification }>).map((r) => r.payload);
    expect(sent.map((n) => [n.kind, n.status])).toEqual([['confirmation', 'pending_payment'], ['status', 'cancelled']]);
    expect(noticeText(sent[1]!)).toBe(`Chợ OCOP: đơn ${view.reference} — Đã huỷ.`);
    expect(noticeText({ ...sent[1]!, locale: 'en' })).toBe(`Chợ OCOP: order ${view.reference} — Cancelled.`);
  });

  it('refuses bad input with per-field messages in the customer language and writes nothing', async () => {
    const ordersBefore = ((await database.get().db.execute(sql`select count(*)::int as n from orders`)) as unknown as Array<{ n: number }>)[0]!.n;
    const bad = async (input: unknown, locale: 'vi' | 'en' = 'vi') => {
      const { parseOrderInput } = await import('../../src/lib/orders/index.ts');
      try {
        await createOrder(parseOrderInput(input, createT(locale)), { ...ctx, t: createT(locale), locale });
      } catch (err) {
        expect(isAppError(err) && err.status).toBe(400);
        return (err as AppError).fields!;
      }
      throw new Error('accepted bad input');
    };
    const base = order([{ slug: 'gao-daka', qty: 1 }]);
    expect(await bad({ ...base, items: [{ slug: 'gao-daka', qty: 0 }] })).toHaveProperty(['items.0.qty'], 'Số lượng phải là số nguyên từ 1 đến 99.');
    expect(await bad({ ...base, items: [{ slug: 'gao-daka', qty: -3 }] }, 'en')).toHaveProperty(['items.0.qty'], 'Quantity must be a whole number from 1 to 99.');
    expect(await bad({ ...base, items: [{ slug: 'gao-daka', qty: 1e9 }] })).toHaveProperty(['items.0.qty']);
    expect(await bad({ ...base, items: [{ slug: 'no-such-thing', qty: 1 }, { combo: 'no-such-combo', qty: 1 }] })).toEqual({
      'items.0.slug': t('orders.field.unknownProduct'), 'items.1.combo': t('orders.field.unknownCombo'),
    });
    expect(await bad({ ...base, items: [] })).toHaveProperty('items');
    const fields = await bad({ items: [{ slug: 'gao-daka', combo: 'x', qty: 1 }], customer: { name: '', phone: '12345', email: 'not-mail', address: { line: 'x', commune: 'y', province: 'Atlantis' } }, payment: 'bitcoin', extra: 1 }, 'en');
    expect(fields).toMatchObject({
      'items.0.slug': expect.any(String), 'customer.name': 'This field is required.', 'customer.phone': expect.stringContaining('Vietnamese phone'),
      'customer.email': 'Not a valid email address.', 'customer.address.province': 'Choose one of the 34 provinces and cities.',
      payment: expect.any(String), extra: 'This field is not supported.',
    });
    expect(await bad({ ...base, payment: 'card' })).toEqual({ payment: t('orders.field.paymentUnavailable') });
    const ordersAfter = ((await database.get().db.execute(sql`select count(*)::int as n from orders`)) as unknown as Array<{ n: number }>)[0]!.n;
    expect(ordersAfter).toBe(ordersBefore);
  });

  it('accepts Vietnamese phone numbers in the ways people write them', async () => {
    const { normalizeVietnamesePhone } = await import('../../src/lib/orders/index.ts');
    expect(normalizeVietnamesePhone('+84 912 345 678')).toBe('0912345678');
    expect(normalizeVietnamesePhone('84912345678')).toBe('0912345678');
    expect(normalizeVietnamesePhone('0243.826.1234')).toBe('02438261234');
    expect(normalizeVietnamesePhone('0112345678')).toBeNull();
    expect(normalizeVietnamesePhone('091234567')).toBeNull();
  });
});

describe('no overselling under concurrency', () => {
  it('50 concurrent orders for the last 10 units: exactly 10 succeed, 40 get 409, stock ends at 0', async () => {
    await setStock('nem-chua-ba-lan', 10);
    const { ok, errors } = await settle(Array.from({ length: 50 }, () => createOrder(order([{ slug: 'nem-chua-ba-lan', qty: 1 }]), ctx)));
    expect(ok).toBe(10);
    expect(errors).toHaveLength(40);
    for (const e of errors) expect(isAppError(e) && e.status).toBe(409);
    expect(await stockOf('nem-chua-ba-lan')).toEqual({ stock: 0, reserved: 0 });
    expect(await soldOf('nem-chua-ba-lan')).toBe(10);
  });

  it('a combo and single items competing for the same units never oversell (demand summed per product)', async () => {
    // The combo needs one of each of three products; one of them has 6 units.
    await setStock('nuoc-mam-nam-quyen', 6);
    await setStock('mam-tom-le-gia', 100);
    await setStock('nuoc-mam-phu-quoc-khai-hoan-40-do-dam', 100);
    const attempts = [
      ...Array.from({ length: 8 }, () => [{ combo: 'huong-vi-bien-viet', qty: 1 }]),
      ...Array.from({ length: 8 }, () => [{ slug: 'nuoc-mam-nam-quyen', qty: 1 }]),
      // One order wanting the same product twice over: a combo plus a single of the scarce product.
      ...Array.from({ length: 4 }, () => [{ combo: 'huong-vi-bien-viet', qty: 1 }, { slug: 'nuoc-mam-nam-quyen', qty: 1 }]),
    ];
    const [mark] = (await database.get().db.execute(sql`select coalesce(max(id), 0)::int as id from orders`)) as unknown as Array<{ id: number }>;
    const { ok, errors } = await settle(attempts.map((items) => createOrder(order(items as OrderInput['items'], 'vietqr'), ctx)));
    for (const e of errors) expect(isAppError(e) && e.status).toBe(409);
    const after = await stockOf('nuoc-mam-nam-quyen');
    // Conservation: what is held equals what the accepted orders asked for, and nothing went below zero.
    const [held] = (await database.get().db.execute(sql`select coalesce(sum(oi.qty), 0)::int as n from order_items oi
      join order_parts op on op.id = oi.order_part_id join orders o on o.id = op.order_id join products p on p.id = oi.product_id
      where p.slug = 'nuoc-mam-nam-quyen' and o.status = 'pending_payment' and o.stock_released_at is null and o.id > ${mark!.id}`)) as unknown as Array<{ n: number }>;
    expect(after.reserved).toBe(Number(held!.n));
    expect(after.stock + after.reserved).toBe(6);
    expect(after.stock).toBeLessThanOrEqual(1);
    expect(ok).toBeGreaterThanOrEqual(3);
    expect(ok).toBeLessThanOrEqual(6);
    expect(ok + errors.length).toBe(attempts.length);
  });

  it('a combo line whose total demand exceeds stock is refused up front, with what is short', async () => {
    await setStock('nuoc-mam-nam-quyen', 2);
    try {
      await createOrder(order([{ combo: 'huong-vi-bien-viet', qty: 2 }, { slug: 'nuoc-mam-nam-quyen', qty: 1 }]), ctx);
      throw new Error('accepted');
    } catch (err) {
      expect(isAppError(err) && err.status).toBe(409);
      expect((err as AppError).details).toEqual({ shortages: [{ slug: 'nuoc-mam-nam-quyen', requested: 3, available: 2 }] });
    }
    expect(await stockOf('nuoc-mam-nam-quyen')).toEqual({ stock: 2, reserved: 0 });
  });

  it('delivers order notifications through the outbox without failing', async () => {
    // The app's background worker may lease the messages first: wait for delivery, whoever does it.
    await drainOutbox();
    const counts = async () => {
      const [row] = (await database.get().db.execute(sql`select count(*) filter (where processed_at is not null and last_error is null)::int as done,
        count(*) filter (where processed_at is null or last_error is not null)::int as pending from outbox where topic = 'orders.notify'`)) as unknown as Array<{ done: number; pending: number }>;
      return { done: Number(row!.done) > 10, pending: Number(row!.pending) };
    };
    await expect.poll(counts, { timeout: 10_000 }).toEqual({ done: true, pending: 0 });
  });
});

describe('fulfilment by producer part', () => {
  it('each producer moves its own parcel; the order follows; a COD parcel credits its producer on delivery', async () => {
    await setStock('gao-daka', 20);
    await setStock('mam-tom-le-gia', 20);
    const { advancePart, listProducerParts } = await import('../../src/lib/orders/index.ts');
    const view = await createOrder(order([{ slug: 'gao-daka', qty: 1 }, { slug: 'mam-tom-le-gia', qty: 1 }]), ctx);
    const ids = (await database.get().db.execute(sql`select id, slug from producers where slug in ('htx-dv-nong-nghiep-dak-kan', 'cong-ty-le-gia') order by slug`)) as unknown as Array<{ id: number; slug: string }>;
    const [leGia, dakKan] = ids.map((r) => Number(r.id));
    const mine = await listProducerParts(dakKan!);
    expect(mine.find((p) => p.publicId === view.publicId)).toMatchObject({ partStatus: 'pending', items: [{ slug: 'gao-daka', qty: 1 }] });
    expect(mine.every((p) => p.items.every((i) => i.slug === 'gao-daka' || !i.slug.startsWith('mam-tom')))).toBe(true);

    expect(await advancePart(view.publicId, dakKan!, 'delivered', 'dak-kan')).toBe(false); // must ship first
    expect(await advancePart(view.publicId, dakKan!, 'shipped', 'dak-kan', { carrier: 'VNPost', trackingNumber: 'EB123456789VN' })).toBe(true);
    expect((await getOrderView(view.publicId))!.status).toBe('processing');
    expect(await advancePart(view.publicId, leGia!, 'shipped', 'le-gia')).toBe(true);
    expect((await getOrderView(view.publicId))!.status).toBe('shipped');
    await advancePart(view.publicId, dakKan!, 'delivered', 'dak-kan');
    await advancePart(view.publicId, leGia!, 'delivered', 'le-gia');
    const done = (await getOrderView(view.publicId))!;
    expect(done.status).toBe('delivered');
    expect(done.payment.status).toBe('succeeded');
    expect(done.events.filter((e) => e.type === 'part_status').map((e) => e.to)).toEqual(['shipped', 'shipped', 'delivered', 'delivered']);
    expect(done.events.find((e) => e.type === 'part_status')!.producer).toBeTruthy();
    const [credits] = (await database.get().db.execute(sql`select count(*)::int as n from payout_entries e join order_parts p on p.id = e.order_part_id
      join orders o on o.id = p.order_id where o.public_id = ${view.publicId} and e.kind = 'credit'`)) as unknown as Array<{ n: number }>;
    expect(Number(credits!.n)).toBe(2);
    // A producer cannot touch another order's parts, nor an unconfirmed order.
    const unpaid = await createOrder(order([{ slug: 'gao-daka', qty: 1 }], 'vietqr'), ctx);
    await expect(advancePart(unpaid.publicId, dakKan!, 'shipped', 'dak-kan')).rejects.toMatchObject({ status: 409 });
    await expect(advancePart(unpaid.publicId, leGia!, 'shipped', 'le-gia')).rejects.toMatchObject({ status: 404 });
  });
});
