import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/db.ts';
import { createT } from '../../src/lib/i18n/index.ts';
import { createOrder, placeOrder, type OrderInput } from '../../src/lib/orders/index.ts';
import { parseIdempotencyKey } from '../../src/lib/orders/idempotency.service.ts';
import type { AppError } from '../../src/lib/errors/index.ts';

/** Idempotency-Key of POST /api/orders, at the service (src/lib/orders/idempotency.*). */
const database = useTestDatabase();
const t = createT('en');
const customer = { name: 'Jane Doe', phone: '0912345678', address: { line: '1 Trang Tien', commune: 'Hoan Kiem', province: 'ha-noi' } };
const body = (qty: number, payment: OrderInput['payment'] = 'vietqr'): OrderInput => ({ items: [{ slug: 'gao-daka', qty }], customer, payment });
const place = (input: OrderInput, key: string) => createOrder(input, { t, locale: 'en', origin: 'http://shop.test', network: '10.200.0.0/16', idempotencyKey: key });
let n = 0;
const newKey = () => `test-key-${Date.now()}-${++n}`;

async function stockOf(slug: string) {
  const [r] = (await database.get().db.execute(sql`select stock, reserved from products where slug = ${slug}`)) as unknown as Array<{ stock: number; reserved: number }>;
  return { stock: Number(r!.stock), reserved: Number(r!.reserved) };
}
const ordersWithKey = async (key: string) => Number(((await database.get().db.execute(sql`select count(*)::int as n from orders o
  join order_idempotency_keys k on k.order_id = o.id where k.key = ${key}`)) as unknown as Array<{ n: number }>)[0]!.n);
const orderCount = async () => Number(((await database.get().db.execute(sql`select count(*)::int as n from orders`)) as unknown as Array<{ n: number }>)[0]!.n);

describe('Idempotency-Key on order placement', () => {
  it('the header: 1–255 visible ASCII characters, else a 400 on the field', () => {
    expect(parseIdempotencyKey(null, t)).toBeNull();
    expect(parseIdempotencyKey('a', t)).toBe('a');
    expect(parseIdempotencyKey('~'.repeat(255), t)).toHaveLength(255);
    for (const bad of ['', 'two words', 'x'.repeat(256), 'khoá', 'tab\there', '\u0000']) {
      expect(() => parseIdempotencyKey(bad, t), JSON.stringify(bad)).toThrow(expect.objectContaining({ status: 400, fields: { 'Idempotency-Key': 'Idempotency-Key must be 1–255 visible ASCII characters (no spaces).' } }));
    }
  });

  it('the same key and body return the same order once: no second order, no second stock movement', async () => {
    await database.get().db.execute(sql`update products set stock = 100, reserved = 0 where slug = 'gao-daka'`);
    const key = newKey();
    const first = await place(body(2), key);
    const after = await stockOf('gao-daka');
    const again = await place(body(2), key);
    expect(again).toEqual(first);
    expect(await stockOf('gao-daka')).toEqual(after);
    expect(after).toEqual({ stock: 98, reserved: 2 });
    expect(await ordersWithKey(key)).toBe(1);
  });

  it('the same key with another body is a 422 and changes nothing', async () => {
    const key = newKey();
    await place(body(1), key);
    const before = { stock: await stockOf('gao-daka'), orders: await orderCount() };
    const refused = (await place(body(3), key).catch((e: AppError) => e)) as AppError;
    expect(refused).toMatchObject({ status: 422, code: 'orders.idempotency_key_reused' });
    await expect(place(body(1, 'cod'), key)).rejects.toMatchObject({ status: 422 });
    expect({ stock: await stockOf('gao-daka'), orders: await orderCount() }).toEqual(before);
  });

  it('10 racing requests with one key place exactly one order and all get its answer', async () => {
    const key = newKey();
    const stock = await stockOf('gao-daka');
    const orders = await orderCount();
    const results = await Promise.all(Array.from({ length: 10 }, () => place(body(1), key)));
    expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
    expect(await orderCount()).toBe(orders + 1);
    expect(await ordersWithKey(key)).toBe(1);
    expect(await stockOf('gao-daka')).toEqual({ stock: stock.stock - 1, reserved: stock.reserved + 1 });
  });

  it('says which answer is a replay: the first is not, every later one with the key is (also when requests race)', async () => {
    const ctx = { t, locale: 'en' as const, origin: 'http://shop.test', network: '10.200.0.0/16' };
    const key = newKey();
    const first = await placeOrder(body(1), { ...ctx, idempotencyKey: key });
    const again = await placeOrder(body(1), { ...ctx, idempotencyKey: key });
    expect(first.replayed).toBe(false);
    expect(again).toEqual({ order: first.order, replayed: true });
    expect((await placeOrder(body(1), ctx)).replayed).toBe(false);

    const raced = newKey();
    const results = await Promise.all(Array.from({ length: 8 }, () => placeOrder(body(1), { ...ctx, idempotencyKey: raced })));
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(new Set(results.map((r) => r.order.publicId)).size).toBe(1);
  });

  it('a refused order (short stock) does not use up its key; a key expires after 24 hours', async () => {
    const short = newKey();
    await database.get().db.execute(sql`update products set stock = 0 where slug = 'mam-tom-le-gia'`);
    await expect(place({ ...body(1), items: [{ slug: 'mam-tom-le-gia', qty: 1 }] }, short)).rejects.toMatchObject({ status: 409 });
    await database.get().db.execute(sql`update products set stock = 10, reserved = 0 where slug = 'mam-tom-le-gia'`);
    expect((await place({ ...body(1), items: [{ slug: 'mam-tom-le-gia', qty: 1 }] }, short)).status).toBe('pending_payment');

    const old = newKey();
    const first = await place(body(1), old);
    const [row] = (await database.get().db.execute(sql`select expires_at - created_at as ttl from order_idempotency_keys where key = ${old}`)) as unknown as Array<{ ttl: string }>;
    expect(String(row!.ttl)).toMatch(/^(24:00:00|1 day)$/);
    await database.get().db.execute(sql`update order_idempotency_keys set expires_at = now() - interval '1 second' where key = ${old}`);
    const second = await place(body(1), old);
    expect(second.publicId).not.toBe(first.publicId);
  });
});
