import { describe, expect, it } from 'vitest';
import { get, send, servers, signIn } from '../support/http.ts';

/** The office records a bank-transfer refund over HTTP (API and the payments page), on each database (issue 13). */
const customer = { name: 'Phạm Thị Dung', phone: '0934567890', address: { line: '9 Trần Phú', commune: 'Phường Hạc Thành', province: 'thanh-hoa' } };
type Json = Record<string, any>;
const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);

/** A VietQR order cancelled by its customer before paying, whose transfer then arrives: a refund is due. */
async function refundDue(url: string, office: string): Promise<{ publicId: string; total: number; reference: string }> {
  const placed = await send(url, '/api/orders', 'POST', '', { items: [{ slug: 'gao-daka', qty: 1 }], customer, payment: 'vietqr' });
  expect(placed.status).toBe(201);
  const order = (await placed.json()) as Json;
  const cancel = await fetch(`${url}/orders/${order.publicId}`, { method: 'POST', redirect: 'manual', headers: { origin: url, 'content-type': 'application/x-www-form-urlencoded' }, body: 'intent=cancel' });
  expect(cancel.status).toBeLessThan(400);
  expect((await (await send(url, `/api/admin/orders/${order.publicId}/paid`, 'POST', office, {})).json())).toEqual({ outcome: 'late' });
  return { publicId: order.publicId, total: order.total, reference: order.reference };
}

describe.each(servers)('bank-transfer refunds recorded by the office over HTTP on $name', ({ url }) => {
  it('POST /api/admin/orders/<id>/refund: 201 once, then 409; 400 per field; 403 for a producer; the order says refunded', async () => {
    const office = await signIn(url, 'admin@ocop.local');
    const { publicId, total } = await refundDue(url, office);
    const producer = await signIn(url, 'cong-ty-le-gia@ocop.local');
    expect((await send(url, `/api/admin/orders/${publicId}/refund`, 'POST', producer, { amount: total, reference: 'FT123456', sentOn: today })).status).toBe(403);
    const wrong = await send(url, `/api/admin/orders/${publicId}/refund`, 'POST', office, { amount: total + 1, reference: 'FT123456', sentOn: today });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as Json).error).toMatchObject({ code: 'orders.invalid_refund', fields: { amount: 'refund_amount' }, expected: total });
    const made = await send(url, `/api/admin/orders/${publicId}/refund`, 'POST', office, { amount: total, reference: 'FT123456', sentOn: today });
    expect(made.status).toBe(201);
    expect(await made.json()).toMatchObject({ publicId, amount: total, status: 'refunded' });
    const twice = await send(url, `/api/admin/orders/${publicId}/refund`, 'POST', office, { amount: total, reference: 'FT123457', sentOn: today });
    expect(twice.status).toBe(409);
    expect(((await twice.json()) as Json).error.code).toBe('orders.refund_already_recorded');
    const view = (await (await fetch(`${url}/api/orders/${publicId}`)).json()) as Json;
    expect(view).toMatchObject({ status: 'refunded', payment: { status: 'refunded' } });
    expect((await send(url, '/api/admin/orders/ord_00000000000000000000/refund', 'POST', office, { amount: 1000, reference: 'FT123456', sentOn: today })).status).toBe(404);
  });

  it('the payments page lists a due refund with its form, says what is wrong beside the field, and records it once', async () => {
    const office = await signIn(url, 'admin@ocop.local');
    const { publicId, total } = await refundDue(url, office);
    for (const prefix of ['', '/en']) {
      const listed = await get(url, `${prefix}/admin/payments?refund=1&q=${publicId}`, { headers: { cookie: office } });
      const html = await listed.text();
      expect(listed.status).toBe(200);
      expect(html).toContain(`refund-${publicId}-reference`);
    }
    const post = (body: Record<string, string>) => fetch(`${url}/en/admin/payments?q=${publicId}`, {
      method: 'POST', redirect: 'manual', headers: { cookie: office, origin: url, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _action: 'refund', order: publicId, ...body }),
    });
    const bad = await post({ amount: String(total - 1000), reference: 'FT777', sentOn: today });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('The amount must be exactly what the customer paid.');
    const ok = await post({ amount: String(total), reference: 'FT777', sentOn: today });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain(`recorded for order ${publicId}`);
    const again = await post({ amount: String(total), reference: 'FT778', sentOn: today });
    expect(again.status).toBe(409);
  });
});
