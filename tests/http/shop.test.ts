import { afterAll, describe, expect, it } from 'vitest';
import { get, getJson, servers } from '../support/http.ts';
import { serverSql } from '../support/server-sql.ts';

/**
 * The sale rules over HTTP on the built site: a suspension or revocation committed by anyone takes
 * "add to cart" off the (cached) product page at once, the order API answers 409 with the reason in
 * the client's language, the office approves products, and a gift order's packing slip shows the
 * message and no price.
 */
const PASSWORD = 'ocop-demo-2026';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ADD = 'name="intent" value="add"';

async function signIn(url: string, email: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) });
  expect(res.status).toBe(200);
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}
const post = (url: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', origin: url, ...headers }, body: JSON.stringify(body) });

describe.each(servers)('sale rules on $name', (server) => {
  const { url } = server;
  const sql = serverSql(server);
  afterAll(() => sql.end());

  it('a suspension committed behind the page cache takes add-to-cart off at once; the API says why in vi and en', async () => {
    // A product of this producer still on sale: other suites on the same server revoke and recall some.
    const candidates = await sql<Array<{ slug: string; producer: string }>>`select p.slug, pr.slug as producer from products p join producers pr on pr.id = p.producer_id
      where p.kind = 'goods' and p.status = 'published' and pr.status <> 'suspended' and pr.slug in ('htx-bun-banh-hung-lo', 'htx-an-lo', 'hkd-le-dinh-trinh', 'cong-ty-thai-hai') order by pr.slug, p.id`;
    let row: { slug: string; producer: string } | undefined;
    for (const c of candidates) if (((await (await get(url, `/api/products/${c.slug}`)).json()) as { sellable: boolean }).sellable) { row = c; break; }
    const path = `/products/${row!.slug}`;
    await sql`update products set stock = reserved + 20 where slug = ${row!.slug}`;
    for (let i = 0; i < 20; i++) {
      const res = await get(url, path);
      const html = await res.text();
      expect(html).toContain(ADD);
      if (res.headers.get('x-cache') === 'HIT') break;
      await sleep(100);
    }
    await sql`update producers set status = 'suspended', suspended_at = now(), suspension_reason = 'Kiểm tra đột xuất' where slug = ${row!.producer}`;
    const after = await (await get(url, path)).text();
    expect(after).not.toContain(ADD);
    expect(after).toContain('sale-blocked');
    expect(after).toContain('tạm ngừng hoạt động');
    const json = await getJson<{ sellable: boolean; saleBlock: string; stock: number }>(url, `/api/products/${row!.slug}`);
    expect(json.body).toMatchObject({ sellable: false, saleBlock: 'producer_suspended', stock: 0 });

    const order = { items: [{ slug: row!.slug, qty: 1 }], customer: { name: 'Tourist', phone: '0912345678', address: { line: '1 Tràng Tiền', commune: 'Hoàn Kiếm', province: 'ha-noi' } }, payment: 'cod' };
    const en = await post(url, '/api/orders', order, { 'accept-language': 'en' });
    expect(en.status).toBe(409);
    const enBody = await en.json() as { error: { code: string; message: string; unavailable: Array<{ reason: string; message: string }> } };
    expect(enBody.error.code).toBe('orders.not_for_sale');
    expect(enBody.error.unavailable[0]).toMatchObject({ reason: 'producer_suspended' });
    expect(enBody.error.message).toContain('producer is suspended');
    const vi = await post(url, '/api/orders', order, { 'accept-language': 'vi' });
    expect(vi.status).toBe(409);
    expect(JSON.stringify(await vi.json())).toContain('tạm ngừng hoạt động');
    await sql`update producers set status = 'verified', suspended_at = null, suspension_reason = null where slug = ${row!.producer}`;
    expect(await (await get(url, path)).text()).toContain(ADD);
  });

  it('the office approves a producer\'s new product; the gift order\'s packing slip shows the message and no price', async () => {
    const producer = await signIn(url, 'htx-tien-phat@ocop.local');
    const created = await post(url, '/api/producer/products', { subgroup: 'processed-produce', nameVi: 'Mứt gừng Tiến Phát', nameEn: 'Tien Phat ginger jam', price: 65000, unitVi: 'hộp', unitEn: 'box', stock: 5, status: 'published' }, { cookie: producer });
    expect(created.status).toBe(201);
    const { slug } = await created.json() as { slug: string };
    expect((await get(url, `/products/${slug}`)).status).toBe(404);
    const admin = await signIn(url, 'admin@ocop.local');
    const queue = await fetch(`${url}/api/admin/products`, { headers: { cookie: admin } });
    expect(((await queue.json()) as { products: Array<{ slug: string }> }).products.map((p) => p.slug)).toContain(slug);
    expect((await post(url, `/api/admin/products/${slug}/approval`, { decision: 'approve' }, { cookie: producer })).status).toBe(403);
    const approved = await post(url, `/api/admin/products/${slug}/approval`, { decision: 'approve' }, { cookie: admin });
    expect(approved.status).toBe(200);
    expect((await get(url, `/products/${slug}`)).status).toBe(200);

    const order = await post(url, '/api/orders', {
      items: [{ slug, qty: 2 }], payment: 'cod',
      customer: { name: 'Người Mua', phone: '0912345678', address: { line: '9 Lý Thường Kiệt', commune: 'Cửa Nam', province: 'ha-noi' } },
      gift: { recipient: { name: 'Cô Lan', phone: '0988 111 222' }, message: 'Chúc cô năm mới an khang!' },
    });
    expect(order.status).toBe(201);
    const { publicId } = await order.json() as { publicId: string };
    const slip = await get(url, `/dashboard/orders/${publicId}/slip`, { headers: { cookie: producer } });
    expect(slip.status).toBe(200);
    const html = await slip.text();
    expect(html).toContain('Cô Lan');
    expect(html).toContain('0988111222');
    expect(html).toContain('Chúc cô năm mới an khang!');
    expect(html).toContain('Người Mua');
    expect(html).not.toMatch(/65[.,]000|130[.,]000|₫/);
    const other = await signIn(url, 'cong-ty-le-gia@ocop.local');
    expect((await get(url, `/dashboard/orders/${publicId}/slip`, { headers: { cookie: other } })).status).toBe(404);
  });
});
