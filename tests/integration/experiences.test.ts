import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { login, type CurrentUser } from '../../src/lib/auth/index.ts';
import { AppError } from '../../src/lib/errors/index.ts';
import { createSessions, producerBookings, setCancelCutoff, upcomingSessions } from '../../src/lib/experiences/index.ts';
import { createT } from '../../src/lib/i18n/index.ts';
import { addDays, todayInVietnam } from '../../src/lib/catalog/index.ts';
import { cancelByCustomer, cancelOrder, createOrder, expireLapsedOrders, getOrderView, markPaidByOffice, type OrderInput } from '../../src/lib/orders/index.ts';
import { currentPayoutBalances } from '../../src/lib/payments/index.ts';
import { target, useTestDatabase } from '../support/db.ts';

const database = useTestDatabase();
const t = createT('vi');
const ctx = { t, locale: 'vi' as const, origin: 'http://shop.test' };
const rows = async <T>(query: ReturnType<typeof sql>) => (await database.get().db.execute(query)) as unknown as T[];
const failure = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof AppError ? `${e.status} ${e.code}${e.fields ? ` ${JSON.stringify(e.fields)}` : ''}` : String(e)));
const booking = (slug: string, session: number, qty: number, payment: OrderInput['payment'] = 'cod'): OrderInput => ({
  items: [{ slug, session, qty }],
  customer: { name: 'Alice Martin', phone: '0912345678', address: { line: 'Homestay', commune: 'Xã Phú Xuyên', province: 'thai-nguyen' } },
  payment,
});

let slug = '';
let producerSlug = '';
let producer: CurrentUser & { producerId: number };
async function seats(sessionId: number): Promise<{ booked: number; capacity: number }> {
  const [r] = await rows<{ booked: number; capacity: number }>(sql`select booked, capacity from experience_sessions where id = ${sessionId}`);
  return { booked: Number(r!.booked), capacity: Number(r!.capacity) };
}
/** A new session of the experience `days` from today at `time`, with this capacity; returns its id. */
async function newSession(days: number, capacity: number, time = '09:00', price = 300_000): Promise<number> {
  const startsOn = addDays(todayInVietnam(), days);
  await createSessions(producer, { product: slug, startsOn, startsAt: time, capacity: String(capacity), pricePerPerson: String(price) });
  const [r] = await rows<{ id: number }>(sql`select s.id from experience_sessions s join products p on p.id = s.product_id
    where p.slug = ${slug} and s.starts_on = ${startsOn}::date and s.starts_at = ${time}::time`);
  return r!.id;
}

describe(`experience bookings (${target})`, () => {
  beforeAll(async () => {
    const [e] = await rows<{ slug: string; email: string; producer: string }>(sql`select p.slug, u.email, pr.slug as producer from products p join users u on u.producer_id = p.producer_id
      join producers pr on pr.id = p.producer_id where p.kind = 'experience' order by p.id limit 1`);
    slug = e!.slug;
    producerSlug = e!.producer;
    producer = (await login({ email: e!.email, password: 'ocop-demo-2026' }, { client: 't-exp' })).user as CurrentUser & { producerId: number };
  });

  it('the demo experiences have upcoming sessions with a price per person, capacity and a cut-off', async () => {
    const experiences = await rows<{ slug: string }>(sql`select slug from products where kind = 'experience'`);
    expect(experiences.length).toBeGreaterThanOrEqual(3);
    for (const e of experiences) {
      const sessions = await upcomingSessions(e.slug);
      expect(sessions.length).toBeGreaterThanOrEqual(8);
      expect(sessions.every((s) => s.bookable && s.seatsLeft === s.capacity && s.pricePerPerson > 0)).toBe(true);
    }
  });

  it('books a session like any order: seats taken, price per person, no shipping, no stock moved; the producer sees it under its session', async () => {
    const session = await newSession(20, 10, '08:30', 350_000);
    const [before] = await rows<{ stock: number }>(sql`select stock from products where slug = ${slug}`);
    const view = await createOrder(booking(slug, session, 3), ctx);
    expect(view).toMatchObject({ status: 'processing', subtotal: 1_050_000, shippingTotal: 0, total: 1_050_000, cancellable: true });
    expect(view.bookings).toEqual([expect.objectContaining({ product: expect.objectContaining({ slug }), startsAt: '08:30', partySize: 3, status: 'held' })]);
    expect(view.parts[0]!.items[0]).toMatchObject({ slug, qty: 3, unitPrice: 350_000, lineTotal: 1_050_000 });
    expect(await seats(session)).toEqual({ booked: 3, capacity: 10 });
    expect((await rows<{ stock: number }>(sql`select stock from products where slug = ${slug}`))[0]!.stock).toBe(before!.stock);
    const mine = await producerBookings(producer.producerId);
    const row = mine.sessions.find((s) => s.id === session)!;
    expect(row.bookings).toEqual([expect.objectContaining({ publicId: view.publicId, customerName: 'Alice Martin', partySize: 3, status: 'held' })]);
    expect(row.view.seatsLeft).toBe(7);
  });

  it('refuses a missing or foreign session, a started one, and more people than seats left (409 with the seats left)', async () => {
    const session = await newSession(21, 4);
    expect(await failure(createOrder({ ...booking(slug, session, 1), items: [{ slug, qty: 1 }] }, ctx))).toBe('400 orders.invalid {"items.0.session":"Hãy chọn một buổi."}');
    const [foreign] = await rows<{ id: number }>(sql`select s.id from experience_sessions s join products p on p.id = s.product_id where p.slug <> ${slug} limit 1`);
    expect(await failure(createOrder(booking(slug, foreign!.id, 1), ctx))).toBe('400 orders.invalid {"items.0.session":"Buổi này không thuộc trải nghiệm đã chọn."}');
    expect(await failure(createOrder({ ...booking(slug, session, 1), items: [{ slug: 'gao-daka', session, qty: 1 }] }, ctx))).toMatch(/^400 orders\.invalid \{"items\.0\.session"/);
    await database.get().db.execute(sql`update experience_sessions set starts_on = current_date - 1 where id = ${session}`);
    expect(await failure(createOrder(booking(slug, session, 1), ctx))).toBe('400 orders.invalid {"items.0.session":"Buổi này đã bắt đầu hoặc không còn nhận khách."}');
    await database.get().db.execute(sql`update experience_sessions set starts_on = current_date + 21 where id = ${session}`);
    const full = await createOrder(booking(slug, session, 5), ctx).catch((e: AppError) => e);
    expect(full).toBeInstanceOf(AppError);
    expect((full as AppError).code).toBe('orders.session_full');
    expect((full as AppError).details).toEqual({ sessions: [{ session, requested: 5, available: 4 }] });
    expect(await seats(session)).toEqual({ booked: 0, capacity: 4 });
  });

  it('the customer cancels before the cut-off and the seats come back once; after the cut-off the booking cannot be cancelled', async () => {
    await setCancelCutoff(producer, { product: slug, cancelCutoffHours: '48' });
    const later = await newSession(10, 6);
    const placed = await createOrder(booking(slug, later, 2), ctx);
    expect(await seats(later)).toMatchObject({ booked: 2 });
    expect(await cancelByCustomer(placed.publicId)).toBe(true);
    expect(await seats(later)).toMatchObject({ booked: 0 });
    expect(await cancelOrder(placed.publicId, 'again', 'office')).toBe(false);
    expect(await seats(later)).toMatchObject({ booked: 0 });
    expect((await getOrderView(placed.publicId))!.bookings[0]!.status).toBe('cancelled');

    // Tomorrow morning is within 48 hours: the cut-off has passed.
    const soon = await newSession(1, 6, '10:00');
    const late = await createOrder(booking(slug, soon, 2), ctx);
    expect(late.cancellable).toBe(false);
    expect(await cancelByCustomer(late.publicId)).toBe(false);
    expect(await seats(soon)).toMatchObject({ booked: 2 });
    expect((await getOrderView(late.publicId))!.status).toBe('processing');
  });

  it('a paid (VietQR) booking cancelled before the cut-off gives the seats back, records the refund due and does not pay the producer', async () => {
    await setCancelCutoff(producer, { product: slug, cancelCutoffHours: '24' });
    const session = await newSession(12, 8);
    const balance = async () => (await currentPayoutBalances()).find((b) => b.producerSlug === producerSlug)?.balance ?? 0;
    const before = await balance();
    const placed = await createOrder(booking(slug, session, 3, 'vietqr'), ctx);
    expect(await markPaidByOffice(placed.publicId, 'office:admin@ocop.local')).toBe('paid');
    const paid = (await getOrderView(placed.publicId))!;
    expect(paid.status).toBe('paid');
    expect(paid.cancellable).toBe(true);
    expect(await balance()).toBeGreaterThan(before);
    expect(await cancelByCustomer(placed.publicId)).toBe(true);
    expect(await seats(session)).toMatchObject({ booked: 0 });
    const after = (await getOrderView(placed.publicId))!;
    expect(after.status).toBe('cancelled');
    expect(after.cancellable).toBe(false);
    expect(after.events.filter((e) => e.type === 'refund_required').map((e) => e.cause)).toEqual(['customer_cancelled']);
    expect(await balance()).toBe(before);
    // Once: a second press changes nothing.
    expect(await cancelByCustomer(placed.publicId)).toBe(false);
    expect(await balance()).toBe(before);

    // Paid goods stay with the office: a paid order with a parcel cannot be cancelled by the customer.
    const goods = await createOrder({ ...booking(slug, session, 1, 'vietqr'), items: [{ slug: 'mam-tom-le-gia', qty: 1 }] }, ctx);
    await markPaidByOffice(goods.publicId, 'office:admin@ocop.local');
    expect((await getOrderView(goods.publicId))!.cancellable).toBe(false);
    expect(await cancelByCustomer(goods.publicId)).toBe(false);
  });

  it('an unpaid VietQR booking holds its seats until the hold lapses, then gives them back', async () => {
    const session = await newSession(30, 5);
    const held = await createOrder(booking(slug, session, 4, 'vietqr'), ctx);
    expect(held.status).toBe('pending_payment');
    expect(await seats(session)).toMatchObject({ booked: 4 });
    await database.get().db.execute(sql`update orders set reserved_until = now() - interval '1 minute' where public_id = ${held.publicId}`);
    expect(await expireLapsedOrders()).toBeGreaterThanOrEqual(1);
    expect(await seats(session)).toMatchObject({ booked: 0 });
  });

  it('racing bookings never overbook: capacity 7, ten parties of two, exactly three are booked', async () => {
    const session = await newSession(40, 7);
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => createOrder(booking(slug, session, 2), ctx)));
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    const codes = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as AppError).code] : []));
    expect(ok).toBe(3);
    expect(codes).toEqual(Array(7).fill('orders.session_full'));
    expect(await seats(session)).toEqual({ booked: 6, capacity: 7 });
    const [held] = await rows<{ n: number }>(sql`select coalesce(sum(party_size), 0)::int as n from bookings where session_id = ${session} and status = 'held'`);
    expect(Number(held!.n)).toBe(6);
  });

  it('the producer adds weekly sessions and sets the cut-off; bad input is refused per field; another producer cannot touch them', async () => {
    const from = addDays(todayInVietnam(), 60);
    expect(await createSessions(producer, { product: slug, startsOn: from, startsAt: '', capacity: '15', pricePerPerson: '250000', weeks: '4' })).toEqual({ created: 4 });
    expect(await failure(createSessions(producer, { product: slug, startsOn: '2020-01-01', capacity: '0', pricePerPerson: '-1' })))
      .toBe('400 experiences.invalid {"capacity":"too_small","pricePerPerson":"too_small"}');
    expect(await failure(setCancelCutoff(producer, { product: slug, cancelCutoffHours: '1000' }))).toBe('400 experiences.invalid {"cancelCutoffHours":"too_big"}');
    const other = (await login({ email: 'cong-ty-le-gia@ocop.local', password: 'ocop-demo-2026' }, { client: 't-exp2' })).user as CurrentUser & { producerId: number };
    expect(await failure(createSessions(other, { product: slug, startsOn: from, capacity: '5', pricePerPerson: '1000' }))).toBe('404 experiences.not_found {"product":"not_found"}');
  });
});
