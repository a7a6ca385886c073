import { describe, expect, it } from 'vitest';
import { servers } from '../support/http.ts';

const PASSWORD = 'ocop-demo-2026';
const customer = { name: 'Đỗ Minh Khoa', phone: '0905123456', address: { line: '7 Bạch Đằng', commune: 'Phường Hải Châu', province: 'Đà Nẵng' } };

async function signIn(url: string, email: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) });
  expect(res.status).toBe(200);
  return res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
}
async function placeOrder(url: string, items: unknown[], payment: 'cod' | 'vietqr') {
  const res = await fetch(`${url}/api/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ items, customer, payment }) });
  expect(res.status).toBe(201);
  return (await res.json()) as { publicId: string; total: number; reference: string };
}
const call = (url: string, path: string, cookie: string, init: RequestInit = {}) =>
  fetch(`${url}${path}`, { ...init, headers: { cookie, ...(init.body ? { 'content-type': 'application/json' } : {}), ...(init.headers as Record<string, string> | undefined) }, redirect: 'manual' });

describe.each(servers)('producers fulfil and the office reconciles ($name)', ({ url }) => {
  it('a producer sees and moves only its own parcel; the order follows', async () => {
    const order = await placeOrder(url, [{ slug: 'gao-daka', qty: 1 }, { slug: 'mam-tom-le-gia', qty: 1 }], 'cod');
    const dakKan = await signIn(url, 'htx-dv-nong-nghiep-dak-kan@ocop.local');
    const leGia = await signIn(url, 'cong-ty-le-gia@ocop.local');
    const list = (await (await call(url, '/api/producer/orders', dakKan)).json()) as { parts: Array<{ publicId: string; items: Array<{ slug: string }> }> };
    const mine = list.parts.find((p) => p.publicId === order.publicId)!;
    expect(mine.items.map((i) => i.slug)).toEqual(['gao-daka']);
    expect((await call(url, '/api/producer/orders', '')).status).toBe(401);

    const bad = await call(url, `/api/producer/orders/${order.publicId}`, dakKan, { method: 'POST', body: JSON.stringify({ status: 'teleported' }) });
    expect(bad.status).toBe(400);
    const shipped = await call(url, `/api/producer/orders/${order.publicId}`, dakKan, { method: 'POST', body: JSON.stringify({ status: 'shipped', carrier: 'VNPost', trackingNumber: 'EB123456789VN' }) });
    expect(await shipped.json()).toEqual({ changed: true });
    const only = await placeOrder(url, [{ slug: 'gao-daka', qty: 1 }], 'cod');
    expect((await call(url, `/api/producer/orders/${only.publicId}`, leGia, { method: 'POST', body: JSON.stringify({ status: 'shipped' }) })).status).toBe(404);

    // The dashboard lists the parcel and moves it with a plain form.
    const dashboard = await (await call(url, '/en/dashboard', leGia)).text();
    expect(dashboard).toContain(order.reference);
    const form = await call(url, '/en/dashboard', leGia, { method: 'POST', headers: { origin: url, 'content-type': 'application/x-www-form-urlencoded' }, body: `_action=part&order=${order.publicId}&status=shipped&carrier=&trackingNumber=` });
    expect(form.status).toBe(303);
    const view = (await (await fetch(`${url}/api/orders/${order.publicId}`)).json()) as { status: string; events: Array<{ type: string; producer: string | null }> };
    expect(view.status).toBe('shipped');
    expect(view.events.filter((e) => e.type === 'part_status')).toHaveLength(2);
  });

  it('the office marks VietQR transfers received, imports the statement, and downloads the payout CSV', async () => {
    const office = await signIn(url, 'admin@ocop.local');
    const producer = await signIn(url, 'cong-ty-le-gia@ocop.local');
    const byHand = await placeOrder(url, [{ slug: 'mam-tom-le-gia', qty: 1 }], 'vietqr');
    expect((await call(url, `/api/admin/orders/${byHand.publicId}/paid`, producer, { method: 'POST', body: '{}' })).status).toBe(403);
    expect(await (await call(url, `/api/admin/orders/${byHand.publicId}/paid`, office, { method: 'POST', body: '{}' })).json()).toEqual({ outcome: 'paid' });
    expect(await (await call(url, `/api/admin/orders/${byHand.publicId}/paid`, office, { method: 'POST', body: '{}' })).json()).toEqual({ outcome: 'duplicate' });

    const viaBank = await placeOrder(url, [{ slug: 'mam-tom-le-gia', qty: 2 }], 'vietqr');
    const csv = `transaction_id,amount,description\nTX-${viaBank.reference},${viaBank.total},${viaBank.reference.toLowerCase()} thanh toan don hang\n`;
    const imported = await call(url, '/api/admin/payments/statement', office, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv });
    expect(((await imported.json()) as { rows: Array<{ result: string }> }).rows.map((r) => r.result)).toEqual(['paid']);
    expect(((await (await fetch(`${url}/api/orders/${viaBank.publicId}`)).json()) as { status: string }).status).toBe('paid');

    const payouts = await call(url, '/api/admin/payouts', office);
    expect(payouts.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(await payouts.text()).toMatch(/^producer,name,bank_bin/);
    expect((await call(url, '/api/admin/payouts', producer)).status).toBe(403);
  });
});
