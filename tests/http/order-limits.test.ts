import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servers } from '../support/http.ts';
import { serverSql } from '../support/server-sql.ts';
import { startServer, stop } from '../support/server.ts';

const customer = { name: 'Lê Văn Cường', phone: '0987 654 321', address: { line: '10 Trần Phú', commune: 'Phường Hải Châu', province: 'da-nang' } };
const order = (payment: string, qty = 1) => ({ items: [{ slug: 'gao-daka', qty }], customer, payment });

/** A shopper on the Internet, as the (declared) reverse proxy in front of the low-limit server reports it. */
const SHOPPER = { 'x-forwarded-for': '203.113.5.7' };

async function post(base: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(new URL(path, base), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) as Record<string, any>, headers: res.headers };
}

/**
 * The ordering limits over HTTP, on a server of its own started with low limits (the shared test
 * servers run with high ones, since every test orders from 127.0.0.1): 429 + Retry-After and the
 * message in Vietnamese or English, from the API and from the checkout form without JavaScript.
 */
describe('ordering limits per network on a server with low limits (PGlite)', () => {
  let child: ChildProcess;
  let url: string;
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-limits-'));
    ({ child, url } = await startServer({ DATA_DIR: dir, DATABASE_URL: '', TRUSTED_PROXY_HOPS: '1', ORDERS_PER_NETWORK_HOUR: '5', HELD_ORDERS_PER_NETWORK: '1', HELD_UNITS_PER_NETWORK: '50' }));
  }, 240_000);
  afterAll(async () => {
    await stop(child);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('requests from this machine or a private network (our own side: an undeclared proxy, a health check) are not limited', async () => {
    for (let i = 0; i < 3; i++) expect((await post(url, '/api/orders', order('vietqr'))).status).toBe(201);
    for (const inside of ['10.0.0.7', '192.168.1.20']) {
      for (let i = 0; i < 2; i++) expect((await post(url, '/api/orders', order('vietqr'), { 'x-forwarded-for': inside })).status).toBe(201);
    }
  });

  it('API: a second unpaid hold from one network is a 429 with Retry-After, in vi, ?lang=en or Accept-Language', async () => {
    expect((await post(url, '/api/orders', order('vietqr'), SHOPPER)).status).toBe(201);
    const vi = await post(url, '/api/orders', order('vietqr'), SHOPPER);
    expect(vi.status).toBe(429);
    expect(Number(vi.headers.get('retry-after'))).toBeGreaterThan(47 * 3600);
    expect(vi.body.error).toMatchObject({ code: 'orders.too_many_held', message: expect.stringContaining('Mạng của bạn đang có 1 đơn chưa thanh toán'), retryAfter: Number(vi.headers.get('retry-after')) });
    const en = await post(url, '/api/orders?lang=en', order('vietqr'), SHOPPER);
    expect(en.status).toBe(429);
    expect(en.body.error.message).toBe('Your network already has 1 unpaid orders holding stock (at most 1). Please pay for or cancel one first, or choose cash on delivery.');
    const accept = await post(url, '/api/orders', order('vietqr'), { ...SHOPPER, 'accept-language': 'en-US,en;q=0.9' });
    expect(accept.body.error.message).toContain('Your network already has');
  });

  it('checkout form without JavaScript: the page again with the message, the values kept, status 429; then the hourly cap refuses even cash on delivery', async () => {
    const headers = { ...SHOPPER, origin: url, 'content-type': 'application/x-www-form-urlencoded' };
    const add = await fetch(new URL('/cart', url), { method: 'POST', headers, body: 'intent=add&key=p%3Agao-daka&qty=1', redirect: 'manual' });
    const cookie = add.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const form = new URLSearchParams({ name: customer.name, phone: customer.phone, email: '', line: customer.address.line, commune: customer.address.commune, province: 'da-nang', note: 'Giao giờ hành chính', payment: 'vietqr', intent: 'quote' });
    const quote = await (await fetch(new URL('/en/checkout', url), { method: 'POST', headers: { ...headers, cookie }, body: form.toString() })).text();
    form.set('intent', 'place');
    form.set('shownTotal', /name="shownTotal" value="(\d+)"/.exec(quote)![1]!);
    const refused = await fetch(new URL('/en/checkout', url), { method: 'POST', headers: { ...headers, cookie }, body: form.toString(), redirect: 'manual' });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(47 * 3600);
    const html = await refused.text();
    expect(html).toContain('Your network already has 1 unpaid orders holding stock');
    expect(html).toContain('value="0987 654 321"');
    expect(html).toContain('value="10 Trần Phú"');
    expect(html).toContain('Giao giờ hành chính');

    // Five placements counted this hour (four API calls, the form): the sixth is refused whatever the payment.
    const cod = await post(url, '/api/orders', order('cod'), SHOPPER);
    expect(cod.status).toBe(429);
    expect(cod.body.error).toMatchObject({ code: 'orders.rate_limited', message: expect.stringMatching(/^Có quá nhiều đơn được đặt từ mạng của bạn trong một giờ qua\. Vui lòng thử lại sau \d+ phút\.$/) });
    expect(Number(cod.headers.get('retry-after'))).toBeGreaterThan(3000);
  });
});

describe.each(servers)('Idempotency-Key on POST /api/orders on $name', (server) => {
  const { url } = server;
  const sql = serverSql(server);
  afterAll(() => sql.end({ timeout: 5 }));
  const orderCount = async () => Number((await sql`select count(*)::int as n from orders`)[0]!.n);
  const key = (name: string) => `${name}-${server.name}-${Date.now()}`;

  it('a retry with the same key gets the same 201 body and places nothing; another body is a 422; a malformed key a 400', async () => {
    const k = key('retry');
    const before = await orderCount();
    const first = await post(url, '/api/orders', order('vietqr', 2), { 'idempotency-key': k });
    const again = await post(url, '/api/orders', order('vietqr', 2), { 'idempotency-key': k });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.text).toBe(first.text);
    expect(await orderCount()).toBe(before + 1);
    const other = await post(url, '/api/orders', order('vietqr', 3), { 'idempotency-key': k });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('orders.idempotency_key_reused');
    const bad = await post(url, '/api/orders?lang=en', order('cod'), { 'idempotency-key': 'two words' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields['Idempotency-Key']).toBe('Idempotency-Key must be 1–255 visible ASCII characters (no spaces).');
    expect(await orderCount()).toBe(before + 1);
  });

  it('10 racing requests with one key: ten identical 201 answers, one order', async () => {
    const k = key('race');
    const before = await orderCount();
    const answers = await Promise.all(Array.from({ length: 10 }, () => post(url, '/api/orders', order('cod'), { 'idempotency-key': k })));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(201));
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    expect(await orderCount()).toBe(before + 1);
  });
});
