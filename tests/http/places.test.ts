import { describe, expect, it } from 'vitest';
import { get, getJson, servers } from '../support/http.ts';

/** Points of sale (public directory and JSON) and counter sales over HTTP, on each database. */
const PASSWORD = 'ocop-demo-2026';
interface Place { slug: string; kind: string; province: string; name: { vi: string; en: string }; mapsUrl: string; coordinates: { lat: number; lng: number } | null; products?: Array<{ slug: string }> }

async function signIn(url: string, email: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) });
  expect(res.status, email).toBe(200);
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}
const post = (url: string, path: string, cookie: string, body: unknown) => fetch(`${url}${path}`, {
  method: 'POST', redirect: 'manual', headers: { cookie, origin: url, 'content-type': 'application/json' }, body: JSON.stringify(body),
});

/** Three active stamps of a fresh lot of Lê Gia's shrimp paste (issued through the producer API). */
async function freshStamps(url: string): Promise<string[]> {
  const owner = await signIn(url, 'cong-ty-le-gia@ocop.local');
  const code = `P${Date.now().toString(36).toUpperCase()}`.slice(0, 20);
  const lot = await post(url, '/api/producer/lots', owner, { product: 'mam-tom-le-gia', code, producedOn: '2026-02-01', quantity: 30 });
  expect(lot.status).toBe(201);
  const run = await post(url, '/api/producer/stamp-runs', owner, { lotId: ((await lot.json()) as { id: number }).id, count: 3 });
  expect(run.status).toBe(201);
  const stamps = ((await run.json()) as { stamps: Array<{ code: string; status: string }> }).stamps;
  expect(stamps.every((s) => s.status === 'active')).toBe(true);
  return stamps.map((s) => s.code);
}

describe.each(servers)('points of sale over HTTP on $name', ({ url }) => {
  it('GET /api/points-of-sale lists at least 15 places in 8 provinces; province by code or name, accent-insensitive; kind filter', async () => {
    const all = await getJson<{ pointsOfSale: Place[]; total: number }>(url, '/api/points-of-sale');
    expect(all.status).toBe(200);
    expect(all.body.total).toBeGreaterThanOrEqual(15);
    expect(new Set(all.body.pointsOfSale.map((p) => p.province)).size).toBeGreaterThanOrEqual(8);
    const byCode = await getJson<{ pointsOfSale: Place[]; filters: { province: string } }>(url, '/api/points-of-sale?province=da-nang');
    expect(byCode.body.filters.province).toBe('da-nang');
    expect(byCode.body.pointsOfSale.length).toBeGreaterThanOrEqual(2);
    for (const q of ['%C4%90%C3%A0%20N%E1%BA%B5ng', 'da%20nang', 'Thanh%20ph%E1%BB%91%20%C4%90%C3%A0%20N%E1%BA%B5ng']) {
      const r = await getJson<{ pointsOfSale: Place[] }>(url, `/api/points-of-sale?province=${q}`);
      expect(r.body.pointsOfSale.map((p) => p.slug), q).toEqual(byCode.body.pointsOfSale.map((p) => p.slug));
    }
    const airports = await getJson<{ pointsOfSale: Place[] }>(url, '/api/points-of-sale?province=ho-chi-minh&kind=airport');
    expect(airports.body.pointsOfSale.map((p) => p.slug)).toEqual(['quay-ocop-san-bay-tan-son-nhat']);
    expect(airports.body.pointsOfSale[0]).toMatchObject({ coordinates: { lat: 10.8185, lng: 106.6588 }, mapsUrl: 'https://www.openstreetmap.org/?mlat=10.818500&mlon=106.658800#map=17/10.818500/106.658800' });
    const one = await getJson<Place>(url, '/api/points-of-sale/quay-ocop-san-bay-tan-son-nhat');
    expect(one.body.products!.length).toBeGreaterThan(3);
    expect((await get(url, '/api/points-of-sale/nowhere')).status).toBe(404);
  });

  it('an unknown province or kind is a 400 that says which, in Vietnamese or English', async () => {
    const vi = await getJson<{ error: { code: string; fields: Record<string, string> } }>(url, '/api/points-of-sale?province=Atlantis&kind=casino');
    expect(vi.status).toBe(400);
    expect(vi.body.error.fields).toEqual({ province: 'Không có tỉnh, thành phố “Atlantis” trong 34 tỉnh, thành từ 1/7/2025.', kind: 'Loại điểm bán không hợp lệ.' });
    const en = await getJson<{ error: { fields: Record<string, string> } }>(url, '/api/points-of-sale?province=Atlantis&lang=en');
    expect(en.body.error.fields.province).toBe('“Atlantis” is not one of the 34 provinces and cities since 1 July 2025.');
    const page = await get(url, '/en/points-of-sale?province=Atlantis');
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('is not one of the 34 provinces');
  });

  it('the pages: the directory filtered by province, a place with its products and maps link, a product page with where to buy it', async () => {
    const list = await (await get(url, '/points-of-sale?province=quang-ninh')).text();
    expect(list).toContain('Trung tâm OCOP Quảng Ninh');
    expect(list).not.toContain('Cửa hàng OCOP Huế');
    const place = await get(url, '/en/points-of-sale/trung-tam-ocop-quang-ninh');
    expect(place.status).toBe(200);
    const html = await place.text();
    expect(html).toContain('Quảng Ninh OCOP Centre');
    expect(html).toContain('href="https://www.openstreetmap.org/?mlat=20.953000&amp;mlon=107.096400#map=17/20.953000/107.096400"');
    expect(html).toContain('href="/en/products/tra-hoa-vang-ba-che"');
    expect(html).not.toMatch(/<script[^>]+src="https?:/);
    const product = await (await get(url, '/products/tra-hoa-vang-ba-che')).text();
    expect(product).toContain('Mua trực tiếp');
    expect(product).toContain('href="/points-of-sale/trung-tam-ocop-quang-ninh"');
    expect((await get(url, '/points-of-sale/nowhere')).status).toBe(404);
  });

  it('counter sales: only counter accounts may sell; a sale marks the stamp sold once and the stamp page says where', async () => {
    const [code, , third] = await freshStamps(url);
    expect((await get(url, '/pos')).status).toBe(303);
    const producer = await signIn(url, 'cong-ty-le-gia@ocop.local');
    expect((await post(url, '/api/pos/sales', producer, { code })).status).toBe(403);

    const staff = await signIn(url, 'quay-ocop-san-bay-noi-bai@ocop.local');
    const sold = await post(url, '/api/pos/sales', staff, { code });
    expect(sold.status).toBe(201);
    expect(await sold.json()).toMatchObject({ code, product: { slug: 'mam-tom-le-gia' }, stampUrl: `${url}/t/${code}` });
    const again = await post(url, '/api/pos/sales?lang=en', staff, { code });
    expect(again.status).toBe(409);
    const refusal = (await again.json()) as { error: { code: string; reason: string; message: string } };
    expect(refusal.error).toMatchObject({ code: 'pos.already_sold', reason: 'already_sold' });
    expect(refusal.error.message).toMatch(/^This stamp was already sold on .+: it may be a cloned stamp\.$/);
    const unknown = await post(url, '/api/pos/sales', staff, { code: 'ABCD-EFGH-JKMN-PQRS-TVW' });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toMatch(/^Không có tem nào mang mã này/);

    const stampPage = await (await get(url, `/en/t/${code}`)).text();
    expect(stampPage).toMatch(/Sold on .+ at <a href="\/en\/points-of-sale\/quay-ocop-san-bay-noi-bai">OCOP counter, Nội Bài Airport \(T2\)<\/a>\./);
    const trace = await getJson<{ stamp: { status: string; soldPlace: { slug: string } } }>(url, `/api/trace/${code}`);
    expect(trace.body.stamp).toMatchObject({ status: 'sold', soldPlace: { slug: 'quay-ocop-san-bay-noi-bai' } });

    // The phone page without JavaScript: a typed code, then a refusal beside the field.
    const page = await fetch(`${url}/pos`, { method: 'POST', headers: { cookie: staff, origin: url, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ code: third! }).toString() });
    expect(page.status).toBe(201);
    expect(await page.text()).toContain('Đã ghi nhận bán: Mắm tôm Lê Gia');
    const twice = await fetch(`${url}/pos`, { method: 'POST', headers: { cookie: staff, origin: url, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ code: third! }).toString() });
    expect(twice.status).toBe(409);
    expect(await twice.text()).toMatch(/id="pos-code-error"[^>]*>Tem này đã được bán ngày/);
  });
});
