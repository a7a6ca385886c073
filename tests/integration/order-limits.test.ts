import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/db.ts';
import { resetConfig } from '../../src/lib/config/index.ts';
import { createT } from '../../src/lib/i18n/index.ts';
import { cancelOrder, createOrder, type OrderInput } from '../../src/lib/orders/index.ts';
import type { AppError } from '../../src/lib/errors/index.ts';

/** The ordering limits per client network (src/lib/orders/order-limits.ts) with low values. */
const LIMITS = ['ORDERS_PER_NETWORK_HOUR', 'HELD_ORDERS_PER_NETWORK', 'HELD_UNITS_PER_NETWORK'] as const;
const saved = Object.fromEntries(LIMITS.map((k) => [k, process.env[k]]));
function limits(values: Partial<Record<(typeof LIMITS)[number], number>>) {
  for (const k of LIMITS) process.env[k] = String(values[k] ?? 100_000);
  resetConfig();
}
const database = useTestDatabase();
afterEach(() => limits({}));
afterAll(() => {
  for (const k of LIMITS) process.env[k] = saved[k];
  resetConfig();
});

const vi = createT('vi');
const en = createT('en');
const customer = { name: 'Lê Văn Cường', phone: '0912345678', address: { line: '3 Lý Thường Kiệt', commune: 'Phường Hạc Thành', province: 'thanh-hoa' } };
const order = (slug: string, qty: number, payment: OrderInput['payment'] = 'vietqr'): OrderInput => ({ items: [{ slug, qty }], customer, payment });
let n = 0;
/** A fresh network per test, so counts from other tests never mix in. */
const network = () => `10.${++n}.0.0/16`;
const place = (input: OrderInput, net: string | null, locale: 'vi' | 'en' = 'vi') =>
  createOrder(input, { t: locale === 'vi' ? vi : en, locale, origin: 'http://shop.test', network: net });

async function stockOf(slug: string) {
  const [r] = (await database.get().db.execute(sql`select stock, reserved from products where slug = ${slug}`)) as unknown as Array<{ stock: number; reserved: number }>;
  return { stock: Number(r!.stock), reserved: Number(r!.reserved) };
}

describe('ordering limits per client network', () => {
  beforeAll(async () => {
    await database.get().db.execute(sql`update products set stock = 500, reserved = 0 where slug in ('gao-daka', 'mam-tom-le-gia')`);
  });

  it('unpaid holds: the next VietQR order past HELD_ORDERS_PER_NETWORK is a 429 that says when; cash on delivery, other networks and a cancelled hold are not held against it', async () => {
    limits({ HELD_ORDERS_PER_NETWORK: 2 });
    const net = network();
    const first = await place(order('gao-daka', 1), net);
    await place(order('gao-daka', 1), net);
    const before = await stockOf('gao-daka');
    const refused = (await place(order('gao-daka', 1), net).catch((e: AppError) => e)) as AppError;
    expect(refused).toMatchObject({ status: 429, code: 'orders.too_many_held' });
    expect(refused.message).toBe('Mạng của bạn đang có 2 đơn chưa thanh toán giữ hàng (tối đa 2). Vui lòng thanh toán hoặc huỷ một đơn trước, hoặc chọn thanh toán khi nhận hàng.');
    // Retry-After: when the first hold lapses (VIETQR_HOLD_HOURS, 48 h by default).
    expect(Number(refused.details!.retryAfter)).toBeGreaterThan(47 * 3600);
    expect(await stockOf('gao-daka')).toEqual(before);
    await expect(place(order('gao-daka', 1), net, 'en')).rejects.toMatchObject({ status: 429, message: expect.stringContaining('Your network already has 2 unpaid orders') });
    expect((await place(order('gao-daka', 1, 'cod'), net)).status).toBe('processing');
    expect((await place(order('gao-daka', 1), network())).status).toBe('pending_payment');
    expect(await cancelOrder(first.publicId, 'customer_cancelled', 'customer')).toBe(true);
    expect((await place(order('gao-daka', 1), net)).status).toBe('pending_payment');
  });

  it('held units: an order that would take the network past HELD_UNITS_PER_NETWORK is refused and holds nothing', async () => {
    limits({ HELD_UNITS_PER_NETWORK: 5 });
    const net = network();
    await place(order('mam-tom-le-gia', 3), net);
    const before = await stockOf('mam-tom-le-gia');
    await expect(place(order('mam-tom-le-gia', 3), net, 'en')).rejects.toMatchObject({
      status: 429, code: 'orders.too_many_held_units',
      message: 'Unpaid orders from your network hold 3 units; the 3 of this order would go over the limit of 5. Please pay for the waiting orders first, or choose cash on delivery.',
    });
    expect(await stockOf('mam-tom-le-gia')).toEqual(before);
    expect((await place(order('mam-tom-le-gia', 2), net)).status).toBe('pending_payment');
  });

  it('racing orders of one network cannot both pass the cap: 10 at once with HELD_ORDERS_PER_NETWORK = 3 → exactly 3 placed', async () => {
    limits({ HELD_ORDERS_PER_NETWORK: 3 });
    const net = network();
    const before = await stockOf('gao-daka');
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => place(order('gao-daka', 1), net)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ status: 429, code: 'orders.too_many_held' });
    expect(await stockOf('gao-daka')).toEqual({ stock: before.stock - 3, reserved: before.reserved + 3 });
  });

  it('orders per hour: past ORDERS_PER_NETWORK_HOUR every payment method is refused for the rest of the window; unknown clients share one budget', async () => {
    limits({ ORDERS_PER_NETWORK_HOUR: 2 });
    const net = network();
    await place(order('gao-daka', 1, 'cod'), net);
    await place(order('gao-daka', 1, 'vietqr'), net);
    const refused = (await place(order('gao-daka', 1, 'cod'), net).catch((e: AppError) => e)) as AppError;
    expect(refused).toMatchObject({ status: 429, code: 'orders.rate_limited', message: 'Có quá nhiều đơn được đặt từ mạng của bạn trong một giờ qua. Vui lòng thử lại sau 60 phút.' });
    expect(Number(refused.details!.retryAfter)).toBeGreaterThan(3500);
    expect((await place(order('gao-daka', 1, 'cod'), network())).status).toBe('processing');
    await place(order('gao-daka', 1, 'cod'), null);
    await place(order('gao-daka', 1, 'cod'), null);
    await expect(place(order('gao-daka', 1, 'cod'), null, 'en')).rejects.toMatchObject({ status: 429, message: 'Too many orders were placed from your network in the last hour. Please try again in 60 minutes.' });
  });
});
