import { describe, expect, it } from 'vitest';
import { get, send, servers, signIn } from '../support/http.ts';

/**
 * Gift boxes packed by a point of sale, the parcel notice of component producers, and the combo
 * editor's JSON API (producer, office, point of sale) over HTTP on each database (issue 13).
 */
const POINT = 'quay-ocop-san-bay-noi-bai';
const OTHER = 'cua-hang-ocop-thanh-hoa';
const customer = { name: 'Nguyễn Văn An', phone: '0912345678', address: { line: '1 Tràng Tiền', commune: 'Phường Hoàn Kiếm', province: 'ha-noi' } };
type Json = Record<string, any>;
const call = async (url: string, path: string, method: string, cookie: string, body?: unknown, headers: Record<string, string> = {}) => {
  const res = body === undefined && Object.keys(headers).length === 0 ? await send(url, path, method, cookie) : await fetch(`${url}${path}`, {
    method, redirect: 'manual', headers: { cookie, origin: url, 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text.startsWith('{') ? JSON.parse(text) : { text }) as Json };
};
const page = async (url: string, path: string, cookie: string) => {
  const res = await get(url, path, { headers: { cookie } });
  return { status: res.status, html: await res.text() };
};

describe.each(servers)('gift boxes packed by a point of sale, over HTTP on $name', ({ url, name }) => {
  const tag = `${name}-${Date.now().toString(36)}`;

  it('the combo JSON API: producer, office and point of sale each create, read, change and archive their own boxes', async () => {
    const producer = await signIn(url, 'cong-ty-le-gia@ocop.local');
    const made = await call(url, '/api/producer/combos', 'POST', producer, { slug: `hop-le-gia-${tag}`, nameVi: 'Hộp mắm tôm', nameEn: 'Shrimp paste box', price: 120000, items: [{ product: 'mam-tom-le-gia', qty: 2 }] });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ slug: `hop-le-gia-${tag}`, status: 'draft', assembler: 'cong-ty-le-gia', items: [{ product: 'mam-tom-le-gia', qty: 2 }], url: null });
    expect((await call(url, '/api/producer/combos', 'GET', producer)).body.combos.map((c: Json) => c.slug)).toContain(`hop-le-gia-${tag}`);
    const patched = await call(url, `/api/producer/combos/hop-le-gia-${tag}`, 'PATCH', producer, { price: 110000, status: 'published' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ price: 110000, status: 'published', url: `/combos/hop-le-gia-${tag}`, name: { vi: 'Hộp mắm tôm' } });
    const archived = await call(url, `/api/producer/combos/hop-le-gia-${tag}`, 'DELETE', producer);
    expect(archived).toMatchObject({ status: 200, body: { status: 'archived' } });

    const office = await signIn(url, 'admin@ocop.local');
    const across = await call(url, '/api/admin/combos', 'POST', office, { slug: `hop-van-phong-${tag}`, nameVi: 'Hộp ba miền', nameEn: 'Three regions', price: 200000, assembler: `pos:${POINT}`, items: [{ product: 'mam-tom-le-gia', qty: 1 }, { product: 'gao-daka', qty: 1 }] });
    expect(across.status).toBe(201);
    expect(across.body.assembler).toBe(`pos:${POINT}`);
    expect((await call(url, `/api/admin/combos/hop-van-phong-${tag}`, 'GET', office)).status).toBe(200);

    const staff = await signIn(url, `${POINT}@ocop.local`);
    const own = await call(url, '/api/pos/combos', 'POST', staff, { slug: `hop-noi-bai-${tag}`, nameVi: 'Quà Nội Bài', nameEn: 'Noi Bai gift', price: 150000, status: 'published', occasion: 'souvenir', place: 'Hà Nội', items: [{ product: 'mam-tom-le-gia', qty: 1 }, { product: 'gao-daka', qty: 1 }] });
    expect(own.status).toBe(201);
    expect(own.body).toMatchObject({ assembler: `pos:${POINT}`, status: 'published', occasion: 'souvenir' });
    expect((await call(url, '/api/pos/combos', 'GET', staff)).body.combos.map((c: Json) => c.slug)).toEqual(expect.arrayContaining([`hop-noi-bai-${tag}`]));
  });

  it('the combo JSON API\'s errors: 400 per field in vi and en, 401, 403 for another role, 404 for another\'s box, 409 for a taken address', async () => {
    const producer = await signIn(url, 'cong-ty-le-gia@ocop.local');
    const bad = await call(url, '/api/producer/combos', 'POST', producer, { nameVi: 'H', nameEn: 'Box', price: 5, items: [{ product: 'gao-daka', qty: 1 }, { product: 'no-such-product', qty: 1 }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe('Hộp quà chưa hợp lệ: xem lỗi từng trường.');
    expect(bad.body.error.codes).toMatchObject({ nameVi: 'required', price: 'too_small' });
    const foreign = await call(url, '/api/producer/combos?lang=en', 'POST', producer, { nameVi: 'Hộp lạ', nameEn: 'Odd box', price: 100000, items: [{ product: 'gao-daka', qty: 1 }, { product: 'no-such-product', qty: 1 }] });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error).toMatchObject({ code: 'backoffice.invalid_combo', codes: { 'items.0.product': 'not_own', 'items.1.product': 'unknown_product' }, fields: { 'items.0.product': 'Only your own products can go in your gift boxes.', 'items.1.product': 'No such product.' } });
    expect((await call(url, '/api/producer/combos', 'POST', producer, 'not json', { 'content-type': 'text/plain' })).status).toBe(400);
    expect((await call(url, '/api/producer/combos', 'POST', producer, { nameVi: 'Hộp', nameEn: 'Box', price: 100000, items: [], colour: 'red' })).body.error.codes).toMatchObject({ colour: 'unknown' });

    expect((await fetch(`${url}/api/producer/combos`)).status).toBe(401);
    const staff = await signIn(url, `${POINT}@ocop.local`);
    expect((await call(url, '/api/producer/combos', 'GET', staff)).status).toBe(403);
    expect((await call(url, '/api/admin/combos', 'GET', producer)).status).toBe(403);
    expect((await call(url, '/api/pos/combos', 'GET', producer)).status).toBe(403);

    const mine = await call(url, '/api/pos/combos', 'POST', staff, { slug: `hop-rieng-${tag}`, nameVi: 'Hộp riêng', nameEn: 'Own box', price: 150000, items: [{ product: 'mam-tom-le-gia', qty: 1 }, { product: 'gao-daka', qty: 1 }] });
    expect(mine.status).toBe(201);
    const other = await signIn(url, `${OTHER}@ocop.local`);
    const notYours = await call(url, `/api/pos/combos/hop-rieng-${tag}?lang=en`, 'PATCH', other, { price: 1000 });
    expect(notYours).toMatchObject({ status: 404, body: { error: { code: 'backoffice.combo_not_found', message: 'No such gift box among yours.' } } });
    expect((await call(url, `/api/pos/combos/hop-rieng-${tag}`, 'DELETE', other)).status).toBe(404);
    expect((await call(url, '/api/pos/combos/huong-vi-bien-viet', 'GET', staff)).status).toBe(404);
    expect((await call(url, `/api/producer/combos/hop-rieng-${tag}`, 'GET', producer)).status).toBe(404);
    const packer = await call(url, '/api/pos/combos', 'POST', staff, { nameVi: 'Hộp lạ', nameEn: 'Odd', price: 150000, assembler: `pos:${OTHER}`, items: [{ product: 'mam-tom-le-gia', qty: 2 }] });
    expect(packer.body.error.codes).toEqual({ assembler: 'assembler' });

    const taken = await call(url, '/api/pos/combos', 'POST', staff, { slug: `hop-rieng-${tag}`, nameVi: 'Hộp riêng', nameEn: 'Own box', price: 150000, items: [{ product: 'mam-tom-le-gia', qty: 2 }] });
    expect(taken).toMatchObject({ status: 409, body: { error: { code: 'backoffice.combo_slug_taken', codes: { slug: 'taken' } } } });
  });

  it('a box packed by the point ships from it: its staff see the parcel, print the slip (message, no price) and mark it shipped; the component producer sees what to hand over', async () => {
    const staff = await signIn(url, `${POINT}@ocop.local`);
    const slug = `hop-gui-${tag}`;
    expect((await call(url, '/api/pos/combos', 'POST', staff, { slug, nameVi: 'Quà sân bay', nameEn: 'Airport gift', price: 160000, status: 'published', items: [{ product: 'mam-tom-le-gia', qty: 1 }, { product: 'gao-daka', qty: 1 }] })).status).toBe(201);
    const placed = await call(url, '/api/orders', 'POST', '', { items: [{ combo: slug, qty: 1 }], customer, payment: 'vietqr', gift: { recipient: { name: 'Cô Hạnh', phone: '0987000111' }, message: 'Chúc cô năm mới an khang!' } });
    expect(placed.status).toBe(201);
    expect(placed.body.parts).toHaveLength(1);
    expect(placed.body.parts[0].producer).toMatchObject({ slug: POINT, kind: 'point_of_sale' });
    const office = await signIn(url, 'admin@ocop.local');
    expect((await call(url, `/api/admin/orders/${placed.body.publicId}/paid`, 'POST', office, {})).body).toEqual({ outcome: 'paid' });

    for (const prefix of ['', '/en']) {
      const list = await page(url, `${prefix}/pos/orders`, staff);
      expect(list.status).toBe(200);
      expect(list.html).toContain(placed.body.reference);
      expect(list.html).toContain(`${prefix}/pos/orders/${placed.body.publicId}/slip`);
    }
    const slip = await page(url, `/pos/orders/${placed.body.publicId}/slip`, staff);
    expect(slip.status).toBe(200);
    expect(slip.html).toContain('Chúc cô năm mới an khang!');
    expect(slip.html).toContain('Cô Hạnh');
    expect(slip.html).not.toMatch(/160[.,]000|₫/);
    const other = await signIn(url, `${OTHER}@ocop.local`);
    expect((await page(url, `/pos/orders/${placed.body.publicId}/slip`, other)).status).toBe(404);

    const form = new URLSearchParams({ _action: 'part', order: placed.body.publicId, status: 'shipped', carrier: 'VNPost', trackingNumber: 'EB1' });
    const shipped = await fetch(`${url}/pos/orders`, { method: 'POST', redirect: 'manual', headers: { cookie: staff, origin: url, 'content-type': 'application/x-www-form-urlencoded' }, body: form });
    expect(shipped.status).toBe(303);
    expect(((await (await fetch(`${url}/api/orders/${placed.body.publicId}`)).json()) as Json).status).toBe('shipped');

    const leGia = await signIn(url, 'cong-ty-le-gia@ocop.local');
    const api = await call(url, '/api/producer/orders', 'GET', leGia);
    expect(api.body.handovers.find((h: Json) => h.publicId === placed.body.publicId)).toMatchObject({ packer: { kind: 'point_of_sale', slug: POINT }, share: expect.any(Number) });
    const dash = await page(url, '/en/dashboard', leGia);
    expect(dash.html).toContain('Your products in gift boxes packed by someone else');
    expect(dash.html).toContain('Hand over to Quầy OCOP sân bay Nội Bài (T2)');
    const combos = await page(url, '/pos/combos', staff);
    expect(combos.status).toBe(200);
    expect(combos.html).toContain('Quà sân bay');
  });
});
