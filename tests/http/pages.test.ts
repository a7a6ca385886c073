import { describe, expect, it } from 'vitest';
import { get, servers } from '../support/http.ts';

async function page(base: string, path: string) {
  const res = await get(base, path);
  return { status: res.status, html: await res.text(), headers: res.headers };
}

describe.each(servers)('pages on $name', ({ url }) => {
  it('home page in Vietnamese and English', async () => {
    const vi = await page(url, '/');
    expect(vi.status).toBe(200);
    expect(vi.html).toMatch(/<html[^>]+lang="vi"/);
    expect(vi.html).toContain('Chợ OCOP');
    expect(vi.html).toContain('href="/en"');
    const en = await page(url, '/en');
    expect(en.status).toBe(200);
    expect(en.html).toMatch(/<html[^>]+lang="en"/);
    expect(en.html).not.toBe(vi.html);
  });

  it('product page shows price, stars, certificate, story and structured data', async () => {
    const { status, html } = await page(url, '/products/mam-tom-le-gia');
    expect(status).toBe(200);
    expect(html).toContain('Mắm tôm Lê Gia');
    expect(html).toMatch(/\d{1,3}(\.\d{3})+\s?₫/); // VND formatted the Vietnamese way
    expect(html).toContain('application/ld+json');
    const ld = JSON.parse(/<script type="application\/ld\+json"[^>]*>([\s\S]*?)<\/script>/.exec(html)![1]!);
    expect(ld['@type']).toBe('Product');
    expect(ld.offers.priceCurrency).toBe('VND');
    expect(ld.gtin13 ?? ld.gtin).toMatch(/^893/);
    expect(html).toMatch(/<meta property="og:title"/);
    expect(html).toMatch(/<meta property="og:image" content="http/);
    const en = await page(url, '/en/products/mam-tom-le-gia');
    expect(en.status).toBe(200);
    expect(en.html).toMatch(/<html[^>]+lang="en"/);
    expect(en.html).toContain('shrimp paste');
  });

  it('language switch keeps the current page', async () => {
    const { html } = await page(url, '/products?group=food&page=2');
    expect(html).toMatch(/href="\/en\/products\?group=food&(amp;)?page=2"/);
    const en = await page(url, '/en/products/mam-tom-le-gia');
    expect(en.html).toContain('href="/products/mam-tom-le-gia"');
  });

  it('product list pages and filters without JavaScript', async () => {
    const all = await page(url, '/products');
    expect(all.status).toBe(200);
    expect(all.html).toMatch(/<form[^>]*method="get"/i);
    const filtered = await page(url, '/products?stars=5&group=food');
    expect(filtered.status).toBe(200);
    expect(filtered.html).toContain('Mắm tôm Lê Gia');
    expect(filtered.html).not.toContain('Nem Huấn Hồng'); // a 3★ product
  });

  it('producer and combo pages', async () => {
    expect((await page(url, '/combos')).status).toBe(200);
    const combo = await page(url, '/combos/huong-vi-bien-viet');
    expect(combo.status).toBe(200);
    expect(combo.html).toContain('Nước mắm Năm Quyên');
    const api = await (await get(url, '/api/products/mam-tom-le-gia')).json();
    const producer = await page(url, `/producers/${api.producer.slug}`);
    expect(producer.status).toBe(200);
    expect(producer.html).toContain(api.producer.name);
  });

  it('unknown pages and slugs get the styled 404 in the right language', async () => {
    for (const path of ['/products/no-such-thing', '/producers/nobody', '/combos/none', '/no/such/page']) {
      const { status, html } = await page(url, path);
      expect(status, path).toBe(404);
      expect(html).toMatch(/<html[^>]+lang="vi"/);
      expect(html).toContain('Chợ OCOP');
    }
    const en = await page(url, '/en/products/no-such-thing');
    expect(en.status).toBe(404);
    expect(en.html).toMatch(/<html[^>]+lang="en"/);
  });

  it('malformed query parameters never produce a 5xx', async () => {
    for (const qs of ['page=-1', 'page=abc', 'stars=%00', 'limit=99999', 'sort=x', 'group=<script>', `q=${'%E1%BB%87'.repeat(2000)}`, 'province=%']) {
      const res = await get(url, `/products?${qs}`);
      expect(res.status, qs).toBeLessThan(500);
      const html = await res.text();
      expect(html).not.toContain('<script>alert');
      expect(html).not.toMatch(/at \w+ \(.*\.ts:\d+/); // no stack traces
    }
  });

  it('pages load no third-party resources', async () => {
    for (const path of ['/', '/products', '/products/mam-tom-le-gia', '/combos']) {
      const { html } = await page(url, path);
      // What the browser loads by itself: src attributes and <link href> (a plain <a href>, e.g. "open in maps", loads nothing).
      const loaded = [...html.matchAll(/\ssrc="(https?:\/\/[^"]+)"/g), ...html.matchAll(/<link\b[^>]*\shref="(https?:\/\/[^"]+)"/g)];
      const external = loaded.map((m) => m[1]!).filter((u) => !u.startsWith(url) && !u.includes('127.0.0.1') && !u.includes('localhost') && !u.startsWith('https://schema.org'));
      expect(external, path).toEqual([]);
    }
  });

  it('link previews get a 1200×630 PNG (chat apps do not show SVG or WebP), made once, never from itself', async () => {
    for (const path of ['/products/mam-tom-le-gia', '/en/products/mam-tom-le-gia']) {
      const { html } = await page(url, path);
      const og = /<meta property="og:image" content="([^"]+)"/.exec(html)?.[1];
      expect(og, path).toMatch(/\/og\/.+\.png$/);
      expect(html).toContain('<meta property="og:image:width" content="1200">');
      expect(html).toContain('<meta property="og:image:height" content="630">');
      const res = await fetch(new URL(new URL(og!).pathname, url));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      const png = Buffer.from(await res.arrayBuffer());
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1200, 630]);
      const nested = await get(url, `/og${new URL(og!).pathname}.png`);
      expect(nested.status).toBe(404);
      await nested.text();
    }
    for (const bad of ['/og/../../etc/passwd.png', '/og/products/no-such-picture.svg.png', '/og/products/mam-tom-le-gia.svg']) {
      const res = await get(url, bad);
      expect(res.status, bad).toBe(404);
      await res.text();
    }
  });
});
