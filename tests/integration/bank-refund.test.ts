import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AppError } from '../../src/lib/errors/index.ts';
import { createT } from '../../src/lib/i18n/index.ts';
import { cancelOrder, createOrder, getOrderView, listOrdersForOffice, markPaidByOffice, recordBankRefund, type OrderInput } from '../../src/lib/orders/index.ts';
import { target, useTestDatabase } from '../support/db.ts';

/**
 * The office records a bank-transfer refund (issue 13): a VietQR payment that must go back leaves
 * `refund_required`; recording the transfer made moves the payment and order to refunded, keeps
 * the details in the timeline and the audit log, tells the customer, and is refused twice (409).
 */
const database = useTestDatabase();
const ctx = { t: createT('vi'), locale: 'vi' as const, origin: 'http://shop.test' };
const customer = { name: 'Lê Văn Cường', phone: '0912345678', email: 'cuong@example.vn', address: { line: '3 Lê Lợi', commune: 'Phường Hạc Thành', province: 'thanh-hoa' } };
const order = (payment: OrderInput['payment'] = 'vietqr'): OrderInput => ({ items: [{ slug: 'gao-daka', qty: 1 }], customer, payment });
const rows = async <T>(query: ReturnType<typeof sql>) => (await database.get().db.execute(query)) as unknown as T[];
const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('accepted'); }, (e: unknown) => e as AppError);
const office = { id: 0, email: 'ke-toan@ocop.local' };
const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);

/** A VietQR order whose transfer arrived after its hold lapsed: the money must go back. */
async function latePayment(): Promise<{ publicId: string; total: number }> {
  const view = await createOrder(order(), ctx);
  expect(await cancelOrder(view.publicId, 'reservation_expired', 'system')).toBe(true);
  expect(await markPaidByOffice(view.publicId, 'office:bank')).toBe('late');
  return { publicId: view.publicId, total: view.total };
}

describe(`the office records a bank-transfer refund (${target})`, () => {
  beforeAll(async () => {
    await database.get().db.execute(sql`update products set stock = 500, reserved = 0 where slug = 'gao-daka'`);
  });

  it('lists the refund as due, then records it: payment and order refunded, timeline, audit log and the customer\'s notice', async () => {
    const { publicId, total } = await latePayment();
    const due = await listOrdersForOffice({ refund: '1' });
    expect(due.orders.find((o) => o.publicId === publicId)).toMatchObject({ refundDue: true, status: 'cancelled', payment: { status: 'succeeded' } });

    const refund = await recordBankRefund(office, publicId, { amount: String(total), reference: 'FT26336123456', sentOn: today });
    expect(refund).toEqual({ publicId, amount: total, reference: 'FT26336123456', sentOn: today, by: office.email, status: 'refunded' });
    const view = (await getOrderView(publicId))!;
    expect(view.status).toBe('refunded');
    expect(view.payment.status).toBe('refunded');
    expect(view.events.filter((e) => e.type === 'refund').map((e) => e.cause)).toEqual(['bank_transfer_refunded']);
    const [event] = await rows<{ data: Record<string, unknown>; actor: string }>(sql`select e.data, e.actor from order_events e join orders o on o.id = e.order_id
      where o.public_id = ${publicId} and e.type = 'refund'`);
    expect(event).toEqual({ data: { amount: total, reference: 'FT26336123456', sentOn: today, by: office.email }, actor: `office:${office.email}` });
    const [audit] = await rows<{ action: string; after: Record<string, unknown> }>(sql`select action, after from audit_log where entity_type = 'order' and entity_id = ${publicId} and action = 'order.refund_recorded'`);
    expect(audit!.after).toEqual({ amount: total, reference: 'FT26336123456', sentOn: today });
    const [payment] = await rows<{ refunded_amount: number }>(sql`select p.refunded_amount from payments p join orders o on o.id = p.order_id where o.public_id = ${publicId}`);
    expect(Number(payment!.refunded_amount)).toBe(total);
    const notices = await rows<{ payload: { status: string; kind: string } }>(sql`select payload from outbox where topic = 'orders.notify' and payload->>'publicId' = ${publicId} order by id`);
    expect(notices.at(-1)!.payload).toMatchObject({ kind: 'status', status: 'refunded' });
    expect((await listOrdersForOffice({ refund: '1' })).orders.map((o) => o.publicId)).not.toContain(publicId);

    // Recorded once: a second recording is 409 and changes nothing.
    const again = await failure(recordBankRefund(office, publicId, { amount: total, reference: 'FT26336999999', sentOn: today }));
    expect(again).toMatchObject({ status: 409, code: 'orders.refund_already_recorded' });
    expect(await rows(sql`select 1 from order_events e join orders o on o.id = e.order_id where o.public_id = ${publicId} and e.type = 'refund'`)).toHaveLength(1);
  });

  it('two clerks recording the same refund at once: one succeeds, the other gets 409', async () => {
    const { publicId, total } = await latePayment();
    const results = await Promise.allSettled([1, 2, 3].map((n) => recordBankRefund(office, publicId, { amount: total, reference: `FT-RACE-${n}`, sentOn: today })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect((r.reason as AppError).status).toBe(409);
    expect(await rows(sql`select 1 from order_events e join orders o on o.id = e.order_id where o.public_id = ${publicId} and e.type = 'refund'`)).toHaveLength(1);
  });

  it('refuses bad input per field (400), an unknown order (404), and orders with no bank refund due (409)', async () => {
    const { publicId, total } = await latePayment();
    expect(await failure(recordBankRefund(office, publicId, { amount: total - 1000, reference: 'F1', sentOn: today }))).toMatchObject({ status: 400, fields: { reference: 'invalid' } });
    expect(await failure(recordBankRefund(office, publicId, { amount: total - 1000, reference: 'FT26336', sentOn: today }))).toMatchObject({ status: 400, fields: { amount: 'refund_amount' } });
    expect(await failure(recordBankRefund(office, publicId, { amount: total, reference: 'FT26336', sentOn: '2999-01-01' }))).toMatchObject({ status: 400, fields: { sentOn: 'future' } });
    expect(await failure(recordBankRefund(office, publicId, { amount: total, reference: 'FT26336', sentOn: '2026-02-30' }))).toMatchObject({ status: 400, fields: { sentOn: 'invalid' } });
    expect(await failure(recordBankRefund(office, publicId, { reference: 'FT26336', sentOn: today, note: 'x' }))).toMatchObject({ status: 400, fields: { amount: 'required', note: 'unknown' } });
    expect((await failure(recordBankRefund(office, 'ord_00000000000000000000', { amount: 1000, reference: 'FT26336', sentOn: today }))).status).toBe(404);

    const paid = await createOrder(order(), ctx);
    await markPaidByOffice(paid.publicId, 'office:bank');
    expect(await failure(recordBankRefund(office, paid.publicId, { amount: paid.total, reference: 'FT26336', sentOn: today }))).toMatchObject({ status: 409, code: 'orders.refund_not_due' });
    const cod = await createOrder(order('cod'), ctx);
    expect(await failure(recordBankRefund(office, cod.publicId, { amount: cod.total, reference: 'FT26336', sentOn: today }))).toMatchObject({ status: 409, code: 'orders.refund_not_bank' });
    // Nothing was recorded by the refusals.
    expect((await getOrderView(publicId))!.payment.status).toBe('succeeded');
  });
});
