import { describe, expect, it } from 'vitest';
import { get, servers } from '../support/http.ts';

const customer = { name: 'Trần Thị Bình', phone: '+84 912 345 678', address: { line: '5 Hùng Vương', commune: 'Phường Ba Đình', province: 'Ha Noi' } };
const text = async (base: string, path: string) => {
  const res = await get(base, path);
  return { status: res.status, body: await res.text(), type: res.headers.get('content-type') ?? '' };
};

describe.each(servers)('storefront discovery and merchandising on $name', ({ url }) => {
  it('robots.txt points to the sitemap and keeps crawlers out of carts, accounts and the back office', async () => {
    const r = await text(url, '/robots.txt');
    expect(r.status).toBe(200);
    expect(r.type).toMatch(/^text\/plain/);
    for (const line of ['User-agent: *', 'Disallow: /admin', 'Disallow: /en/checkout', 'Disallow: /api/']) expect(r.body).toContain(line);
    expect(r.body).toMatch(/^Sitemap: http:\/\/\S+\/sitemap\.xml$/m);
  });

  it('the sitemap lists every public page in both languages with hreflang alternates', async () => {
    const r = await text(url, '/sitemap.xml');
    expect(r.status).toBe(200);
    expect(r.type).toMatch(/xml/);
    const locs = [...r.body.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]!).pathname);
    for (const p of ['/', '/en', '/products', '/en/products', '/producers', '/en/combos', '/products/mam-tom-le-gia', '/en/products/mam-tom-le-gia', '/combos/tra-viet-ba-mien']) expect(locs, p).toContain(p);
    expect(locs.some((p) => p.startsWith('/provinces/'))).toBe(true);
    expect(locs.some((p) => p.startsWith('/producers/'))).toBe(true);
    expect(locs.filter((p) => /^\/(admin|dashboard|cart|checkout)/.test(p))).toEqual([]);
    const entry = /<url><loc>[^<]*\/products\/mam-tom-le-gia<\/loc>[\s\S]*?<\/url>/.exec(r.body)![0];
    expect(entry).toMatch(/hreflang="vi" href="[^"]*\/products\/mam-tom-le-gia"/);
    expect(entry).toMatch(/hreflang="en" href="[^"]*\/en\/products\/mam-tom-le-gia"/);
    expect(entry).toContain('hreflang="x-default"');
    expect(entry).toMatch(/<lastmod>\d{4}-\d{2}-\d{2}<\/lastmod>/);
  });

  it('listings show pictures as small WebP renditions (srcset), made on first request and never larger than the original', async () => {
    const { default: sharp } = await import('sharp');
    const home = await text(url, '/');
    const img = /<img src="(\/media\/products\/[^"]+\.w320\.webp)" srcset="([^"]+)" sizes="[^"]+"/.exec(home.body);
    expect(img, 'a product card with a srcset of renditions').not.toBeNull();
    const candidates = img![2]!.split(', ').map((c) => c.split(' '));
    expect(candidates.map((c) => c[1])).toEqual(['320w', '480w', '640w']);
    for (const [path, w] of candidates) {
      const res = await get(url, path!);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/webp');
      const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
      expect(meta.format).toBe('webp');
      expect(meta.width).toBe(Number.parseInt(w!, 10));
    }
    // Gift boxes' composed pictures (800 px) get renditions too; no width beyond the known ones,
    // no rendition of a missing original or of a document folder.
    const combo = /<img src="(\/media\/combos\/[^"]+\.w320\.webp)"/.exec(home.body)?.[1];
    expect(combo).toBeDefined();
    expect((await get(url, combo!)).status).toBe(200);
    const original = img![1]!.replace(/\.w320\.webp$/, '');
    for (const bad of [`${original}.w999.webp`, `${original}.w1600.webp`, '/media/products/no-such.svg.w320.webp', '/media/dossiers/x.webp.w320.webp', `${original}.w320.webp.w80.webp`]) {
      expect((await get(url, bad)).status, bad).toBe(404);
    }
  });

  it('favicon, touch icon and web app manifest are served', async () => {
    for (const [p, type] of [['/favicon.ico', /^image\//], ['/favicon.svg', /^image\/svg/], ['/apple-touch-icon.png', /^image\/png/], ['/icon-192.png', /^image\/png/], ['/icon-512.png', /^image\/png/]] as const) {
      const res = await get(url, p);
      expect(res.status, p).toBe(200);
      expect(res.headers.get('content-type') ?? '', p).toMatch(type);
    }
    const m = await text(url, '/manifest.webmanifest');
    expect(m.status).toBe(200);
    const manifest = JSON.parse(m.body);
    expect(manifest).toMatchObject({ name: 'Chợ OCOP', start_url: '/', display: 'standalone' });
    expect(manifest.icons.map((i: { sizes: string }) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
    expect((await text(url, '/')).body).toContain('<link rel="manifest" href="/manifest.webmanifest"');
  });

  it('producers index filters by province and type; province pages list products; unknown ones are 404', async () => {
    const all = await text(url, '/producers');
    expect(all.status).toBe(200);
    const count = (html: string) => (html.match(/class="producer-card"/g) ?? []).length;
    const total = count(all.body);
    expect(total).toBeGreaterThan(10);
    const coops = await text(url, '/producers?type=cooperative');
    expect(count(coops.body)).toBeGreaterThan(0);
    expect(count(coops.body)).toBeLessThan(total);
    expect(coops.body).toContain('<option value="cooperative" selected');
    const hanoi = await text(url, '/en/producers?province=ha-noi&type=nonsense');
    expect(hanoi.status).toBe(200);
    expect(count(hanoi.body)).toBeLessThan(total);
    expect(hanoi.body).toContain('Hanoi');
    const province = await text(url, '/en/provinces/ha-noi');
    expect(province.status).toBe(200);
    expect(province.body).toContain('Specialities of Hanoi');
    expect(province.body).toContain('class="breadcrumbs"');
    expect((await text(url, '/provinces/atlantis')).status).toBe(404);
  });

  it('a product page offers more from its producer and related products, each linking elsewhere', async () => {
    const r = await text(url, '/en/products/che-dinh-tan-cuong');
    expect(r.body).toContain('id="related-title"');
    const related = r.body.slice(r.body.indexOf('id="related-title"'));
    expect(related).toMatch(/href="\/en\/products\/[a-z0-9-]+"/);
    expect(related).not.toContain('href="/en/products/che-dinh-tan-cuong"');
  });

  it('English pages write dates unambiguously, name the authority in English and show an approximate dollar price', async () => {
    const r = await text(url, '/en/products/mam-tom-le-gia');
    expect(r.body).not.toMatch(/\b\d{2}\/\d{2}\/\d{4}\b/);
    expect(r.body).toMatch(/\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec) \d{4}\b/);
    expect(r.body).not.toContain('UBND');
    expect(r.body).toMatch(/People’s Committee|Ministry of Agriculture/);
    expect(r.body).toMatch(/≈ US\$\d/);
    expect((await text(url, '/products/mam-tom-le-gia')).body).not.toContain('≈ US$');
  });

  it('a VietQR order page says "order received", waits for payment, and offers the QR as a PNG to save', async () => {
    const res = await fetch(new URL('/api/orders', url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ items: [{ slug: 'gao-daka', qty: 1 }], customer, payment: 'vietqr' }) });
    expect(res.status).toBe(201);
    const { publicId } = (await res.json()) as { publicId: string };
    const vi = await text(url, `/orders/${publicId}`);
    expect(vi.body).toContain('Đã nhận đơn hàng');
    expect(vi.body).toContain('Chờ thanh toán');
    expect(vi.body).not.toContain('Chờ nhà sản xuất');
    expect(vi.body).toContain(`href="/orders/${publicId}/qr.png"`);
    expect(vi.body.match(/<copy-text /g)?.length).toBe(3);
    const en = await text(url, `/en/orders/${publicId}`);
    expect(en.body).toContain('Order received');
    expect(en.body).toContain('Waiting for payment');
    const png = await get(url, `/orders/${publicId}/qr.png`);
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(png.headers.get('content-disposition')).toContain('attachment');
    expect(Buffer.from(await png.arrayBuffer()).subarray(1, 4).toString()).toBe('PNG');
    expect((await get(url, '/orders/ord_doesnotexist/qr.png')).status).toBe(404);
  });
});
