import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { get, getJson, send, servers, signIn } from '../support/http.ts';
import { serverSql } from '../support/server-sql.ts';

/** A fresh lot of the producer's product with `count` stamps (so tests never share a lot). */
async function lotWithStamps(url: string, cookie: string, product: string, count = 2): Promise<{ lotId: number; codes: string[] }> {
  const code = `M${Date.now().toString(36).toUpperCase()}${Math.floor(Math.random() * 1000)}`.slice(0, 20);
  const lot = await send(url, '/api/producer/lots', 'POST', cookie, { product, code, producedOn: '2026-10-01', quantity: 50 });
  expect(lot.status).toBe(201);
  const lotId = ((await lot.json()) as { id: number }).id;
  const run = await send(url, '/api/producer/stamp-runs', 'POST', cookie, { lotId, count });
  expect(run.status).toBe(201);
  return { lotId, codes: ((await run.json()) as { stamps: Array<{ code: string }> }).stamps.map((s) => s.code) };
}

describe.each(servers)('monitoring over HTTP on $name', (server) => {
  const { url } = server;
  it('a recall shows first on the very next scan of every stamp of the lot, in both languages, on the lot page and in GET /api/trace', async () => {
    const owner = await signIn(url, 'cong-ty-le-gia@ocop.local');
    const other = await signIn(url, 'cong-ty-khai-hoan@ocop.local');
    const { lotId, codes } = await lotWithStamps(url, owner, 'mam-tom-le-gia');
    // Scanned before the recall: the server now holds this lot's part of the page.
    const first = await get(url, `/t/${codes[0]}`);
    expect(first.status).toBe(200);
    expect(await first.text()).not.toContain('Lô hàng này đã bị thu hồi');
    expect((await getJson<{ recall: unknown }>(url, `/api/trace/${codes[1]}`)).body.recall).toBeNull();

    expect((await send(url, `/api/producer/lots/${lotId}/recall`, 'POST', other, { reason: 'Không phải lô của tôi' })).status).toBe(404);
    const bad = await send(url, `/api/producer/lots/${lotId}/recall`, 'POST', owner, { reason: '' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { fields: Record<string, string> } }).error.fields).toEqual({ reason: 'required' });
    const res = await send(url, `/api/producer/lots/${lotId}/recall`, 'POST', owner, { reason: 'Bao bì bị phồng do lên men' });
    expect(res.status).toBe(200);
    const recall = (await res.json()) as { lotId: number; recalledAt: string; reason: string };
    expect(recall).toMatchObject({ lotId, reason: 'Bao bì bị phồng do lên men' });

    for (const code of codes) {
      const html = await (await get(url, `/t/${code}`, { headers: { 'accept-language': 'vi' } })).text();
      const banner = html.indexOf('Lô hàng này đã bị thu hồi');
      expect(banner).toBeGreaterThan(0);
      // The recall first, then the stamp's one verdict: genuine, but of a recalled lot (never the green "genuine").
      expect(banner).toBeLessThan(html.indexOf('Tem thật — nhưng lô hàng này đã bị thu hồi'));
      expect(html).not.toContain('Tem chính hãng');
      expect(html).toContain('Bao bì bị phồng do lên men');
      expect(html).not.toMatch(/<script/i);
      expect(Buffer.byteLength(html)).toBeLessThan(30 * 1024);
      expect(html).toContain(`/report?code=${code}`);
    }
    const en = await (await get(url, `/en/t/${codes[0]}`)).text();
    expect(en.indexOf('This lot has been recalled')).toBeLessThan(en.indexOf('Genuine'));
    expect(en).toContain('/en/report?code=');
    expect(await (await get(url, `/t/lot/${lotId}`)).text()).toContain('Lô hàng này đã bị thu hồi');
    // The English lot page (the resolver's English lot links) answers too, with the recall in English.
    const enLot = await get(url, `/en/t/lot/${lotId}`);
    expect(enLot.status).toBe(200);
    expect(enLot.headers.get('content-language')).toBe('en');
    const api = await getJson<{ recall: { at: string; reason: string } | null; alert: string }>(url, `/api/trace/${codes[1]}`);
    expect(api.body.recall).toEqual({ at: recall.recalledAt, reason: 'Bao bì bị phồng do lên men' });
    expect(api.body.alert).toBe('recall');

    const admin = await signIn(url, 'admin@ocop.local');
    expect((await send(url, `/api/admin/lots/${lotId}/recall`, 'POST', admin, { reason: 'Lần thứ hai' })).status).toBe(409);
    const page = await (await send(url, `/dashboard/lots/${lotId}`, 'GET', owner)).text();
    expect(page).toContain('Bao bì bị phồng do lên men');
  });

  it('the office recalls any lot; only the office may (401 anonymous, 403 a producer)', async () => {
    const owner = await signIn(url, 'htx-che-hao-dat@ocop.local');
    const admin = await signIn(url, 'admin@ocop.local');
    const { data: products } = { data: (await (await send(url, '/api/producer/products', 'GET', owner)).json()) as { products: Array<{ slug: string }> } };
    const { lotId, codes } = await lotWithStamps(url, owner, products.products[0]!.slug, 1);
    expect((await send(url, `/api/admin/lots/${lotId}/recall`, 'POST', '', { reason: 'Không đăng nhập' })).status).toBe(401);
    expect((await send(url, `/api/admin/lots/${lotId}/recall`, 'POST', owner, { reason: 'Cơ sở không dùng API văn phòng' })).status).toBe(403);
    const res = await send(url, `/api/admin/lots/${lotId}/recall`, 'POST', admin, { reason: 'Quyết định của đoàn kiểm tra' });
    expect(res.status).toBe(200);
    expect((await getJson<{ recall: { reason: string } }>(url, `/api/trace/${codes[0]}`)).body.recall.reason).toBe('Quyết định của đoàn kiểm tra');
  });

  it('POST /api/reports answers 202 (JSON and form with a photo); the office queue has the contact, the producer never', async () => {
    const owner = await signIn(url, 'cong-ty-le-gia@ocop.local');
    const bad = await fetch(`${url}/api/reports`, { method: 'POST', headers: { 'content-type': 'application/json', origin: url }, body: JSON.stringify({ product: 'mam-tom-le-gia', category: 'rumour', body: '' }) });
    expect(bad.status).toBe(400);
    expect(Object.keys(((await bad.json()) as { error: { fields: Record<string, string> } }).error.fields).sort()).toEqual(['body', 'category']);
    const json = await fetch(`${url}/api/reports`, { method: 'POST', headers: { 'content-type': 'application/json', origin: url }, body: JSON.stringify({ product: 'mam-tom-le-gia', category: 'label', body: 'Nhãn ghi sai khối lượng', contact: 'nguoi-bao@example.vn' }) });
    expect(json.status).toBe(202);
    const filed = (await json.json()) as { id: number; status: string };
    expect(filed.status).toBe('new');

    const form = new FormData();
    form.set('product', 'mam-tom-le-gia');
    form.set('category', 'quality');
    form.set('body', 'Có mùi lạ');
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#c00' } }).png().toBuffer();
    form.set('photo', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'anh.png');
    const multipart = await fetch(`${url}/api/reports`, { method: 'POST', headers: { origin: url }, body: form });
    expect(multipart.status).toBe(202);

    const admin = await signIn(url, 'admin@ocop.local');
    expect((await send(url, '/api/admin/reports', 'GET', '')).status).toBe(401);
    const queue = (await (await send(url, '/api/admin/reports?status=new', 'GET', admin)).json()) as { reports: Array<{ id: number; contact?: string | null; photoUrl: string | null }> };
    expect(queue.reports.find((r) => r.id === filed.id)?.contact).toBe('nguoi-bao@example.vn');
    // The photo is the office's only: an authorised address of its own, never a public /media name.
    const withPhoto = queue.reports.find((r) => r.photoUrl !== null)!;
    expect(withPhoto.photoUrl).toBe(`/api/admin/reports/${withPhoto.id}/photo`);
    const photo = await send(url, withPhoto.photoUrl!, 'GET', admin);
    expect(photo.status).toBe(200);
    expect(photo.headers.get('content-type')).toBe('image/webp');
    expect(photo.headers.get('cache-control')).toContain('no-store');
    expect((await photo.arrayBuffer()).byteLength).toBeGreaterThan(20);
    // Refused to anyone else: signed out (401) and the producer the report is about (403).
    expect((await send(url, withPhoto.photoUrl!, 'GET', '')).status).toBe(401);
    expect((await send(url, withPhoto.photoUrl!, 'GET', owner)).status).toBe(403);
    // A report without a photo has none to give, even to the office.
    expect((await send(url, `/api/admin/reports/${filed.id}/photo`, 'GET', admin)).status).toBe(404);
    // Where it is stored: an unguessable key under the private area, which /media refuses to anyone.
    const db = serverSql(server);
    const [stored] = await db<Array<{ photo_url: string }>>`select photo_url from public_reports where id = ${withPhoto.id}`;
    await db.end();
    expect(stored!.photo_url).toMatch(/^\/media\/private\/reports\/[0-9a-f]{32}-[0-9a-f]{12}\.webp$/);
    expect((await get(url, stored!.photo_url)).status).toBe(404);
    expect((await send(url, stored!.photo_url, 'GET', admin)).status).toBe(404);
    const producerJson = (await (await send(url, '/api/producer/reports', 'GET', owner)).json()) as { reports: Array<{ id: number; photoUrl: string | null; hasPhoto: boolean }> };
    expect(producerJson.reports.find((r) => r.id === withPhoto.id)).toMatchObject({ photoUrl: null, hasPhoto: true });
    const producerView = await (await send(url, '/api/producer/reports', 'GET', owner)).text();
    expect(producerView).toContain('Nhãn ghi sai khối lượng');
    expect(producerView).not.toContain('nguoi-bao@example.vn');
    const dashboard = await (await send(url, '/dashboard/reports', 'GET', owner)).text();
    expect(dashboard).toContain('Nhãn ghi sai khối lượng');
    expect(dashboard).not.toContain('nguoi-bao@example.vn');
    const status = await send(url, `/api/admin/reports/${filed.id}/status`, 'POST', admin, { status: 'resolved', note: 'Đã yêu cầu cơ sở sửa nhãn' });
    expect(status.status).toBe(200);
  });

  it('the report page: 200 with the form for a product or stamp, 404 without one, 202 after a form post, per-field errors', async () => {
    expect((await get(url, '/report')).status).toBe(404);
    const page = await get(url, '/en/report?product=mam-tom-le-gia');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Report a problem');
    const empty = new FormData();
    empty.set('product', 'mam-tom-le-gia');
    empty.set('category', 'quality');
    const refused = await fetch(`${url}/report`, { method: 'POST', headers: { origin: url }, body: empty });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('id="f-body-error"');
    empty.set('body', 'Hộp bị móp, hàng bên trong vỡ');
    const ok = await fetch(`${url}/report`, { method: 'POST', headers: { origin: url }, body: empty });
    expect(ok.status).toBe(202);
    expect(await ok.text()).toContain('Cảm ơn bạn');
  });

  it('the office and producer pages answer in both languages; a producer edits its profile over the API with per-field errors', async () => {
    const admin = await signIn(url, 'admin@ocop.local');
    const owner = await signIn(url, 'cong-ty-khai-hoan@ocop.local');
    for (const path of ['/admin/inspections', '/admin/reports', '/admin/payments', '/en/admin/payments?awaiting=1', '/en/admin/inspections']) {
      expect((await send(url, path, 'GET', admin)).status, path).toBe(200);
    }
    for (const path of ['/dashboard/profile', '/en/dashboard/profile', '/dashboard/reports']) expect((await send(url, path, 'GET', owner)).status, path).toBe(200);
    expect((await send(url, '/admin/payments', 'GET', owner)).status).toBe(403);
    const bad = await send(url, '/api/producer/profile', 'PATCH', owner, { email: 'not-an-email', bankAccount: 'x' });
    expect(bad.status).toBe(400);
    expect(Object.keys(((await bad.json()) as { error: { fields: Record<string, string> } }).error.fields).sort()).toEqual(['bankAccount', 'email']);
    const ok = await send(url, '/api/producer/profile', 'PATCH', owner, { historicalAddress: 'huyện Tây Sơn, tỉnh Bình Định' });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { historicalAddress: string }).historicalAddress).toBe('huyện Tây Sơn, tỉnh Bình Định');
  });
});
