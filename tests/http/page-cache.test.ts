import { afterAll, describe, expect, it } from 'vitest';
import { get, getJson, servers } from '../support/http.ts';
import { serverSql } from '../support/server-sql.ts';
import { issueStamps } from '../support/stamps.ts';

/**
 * The page cache (src/lib/http/page-cache.ts) in front of the built site: repeated anonymous
 * pages come from memory, but never one that a committed change has made stale — whoever made
 * the change — and never a personal one.
 */
const USED_ELSEWHERE = new Set(['mam-tom-le-gia', 'dua-sap-soi-vicosap', 'che-dinh-tan-cuong', 'gao-daka', 'binh-ty-ba-gom-chu-dau']);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** GETs `path` until the cache answers it (it keeps nothing in the half second after a change). */
async function untilCached(base: string, path: string, init: RequestInit = {}): Promise<{ html: string; headers: Headers }> {
  for (let i = 0; i < 40; i++) {
    const res = await get(base, path, init);
    const html = await res.text();
    expect(res.status).toBe(200);
    if (res.headers.get('x-cache') === 'HIT') return { html, headers: res.headers };
    await sleep(100);
  }
  throw new Error(`${path} never came from the page cache`);
}

describe.each(servers)('page cache on $name', (server) => {
  const { url } = server;
  const sql = serverSql(server);
  afterAll(() => sql.end());

  async function quietProduct(): Promise<string> {
    const { body } = await getJson<{ hits: Array<{ slug: string }> }>(url, '/api/search?limit=100&sort=newest');
    return body.hits.map((h) => h.slug).filter((s) => !USED_ELSEWHERE.has(s)).at(-1)!;
  }

  it('answers a repeated anonymous page from memory with the same page and fresh per-request headers', async () => {
    const slug = await quietProduct();
    const first = await untilCached(url, `/products/${slug}`);
    const second = await get(url, `/products/${slug}`);
    expect(second.headers.get('x-cache')).toBe('HIT');
    expect(await second.text()).toBe(first.html);
    expect(second.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(second.headers.get('x-content-type-options')).toBe('nosniff');
    expect(second.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(second.headers.get('x-request-id')).not.toBe(first.headers.get('x-request-id'));
    const mine = await get(url, `/products/${slug}`, { headers: { 'x-request-id': 'trace-me-12345' } });
    expect(mine.headers.get('x-request-id')).toBe('trace-me-12345');
    await mine.text();

    const head = await fetch(new URL(`/products/${slug}`, url), { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('x-cache')).toBe('HIT');
    expect(head.headers.get('content-length')).toBe(String(Buffer.byteLength(first.html)));
    expect(await head.text()).toBe('');

    const api = '/api/search?q=mat+ong&limit=5';
    const cached = await untilCached(url, api);
    expect(JSON.parse(cached.html).hits.length).toBeGreaterThan(0);
    expect(cached.headers.get('content-type')).toContain('application/json');
  });

  it('never serves a page that a change committed by another process has made stale, not even a moment later', async () => {
    const slug = await quietProduct();
    const original = (await sql<Array<{ story_vi: string }>>`select story_vi from products where slug = ${slug}`)[0]!.story_vi;
    try {
      for (let round = 1; round <= 5; round++) {
        await untilCached(url, `/products/${slug}`);
        const marker = `Dấu kiểm tra bộ nhớ đệm ${round}-${Date.now()}`;
        // Another connection, as a CLI, a second instance or psql would make it.
        await sql`update products set story_vi = ${`${original} ${marker}`} where slug = ${slug}`;
        const res = await get(url, `/products/${slug}`);
        expect(res.headers.get('x-cache')).not.toBe('HIT');
        expect(await res.text()).toContain(marker);
      }
    } finally {
      await sql`update products set story_vi = ${original} where slug = ${slug}`;
    }
    const after = await untilCached(url, `/products/${slug}`);
    expect(after.html).not.toContain('Dấu kiểm tra bộ nhớ đệm');
  });

  it('a provenance page keeps its lot between scans but shows a change to it at the next scan, and always counts', async () => {
    const slug = await quietProduct();
    const { stamps } = await issueStamps(server, slug, 1);
    const path = new URL(stamps[0]!.url).pathname;
    const scan = async () => {
      const res = await get(url, path, { headers: { 'accept-language': 'vi' } });
      expect(res.status).toBe(200);
      return res.text();
    };
    const count = (html: string) => Number(/(\d+) lần/.exec(html)?.[1]);
    await scan();
    await sleep(600); // past the settling half second: the lot is now held
    const held = await scan();
    const original = (await sql<Array<{ story_vi: string }>>`select story_vi from products where slug = ${slug}`)[0]!.story_vi;
    const marker = `Câu chuyện mới ${Date.now()}`;
    try {
      await sql`update products set story_vi = ${marker} where slug = ${slug}`;
      const changed = await scan();
      expect(changed).toContain(marker);
      expect(count(changed)).toBe(count(held) + 1);
    } finally {
      await sql`update products set story_vi = ${original} where slug = ${slug}`;
    }
    expect(await scan()).not.toContain(marker);
  });

  it('a stock move keeps every page that cannot show it cached, and shows at once on every page that can (issue 18)', async () => {
    const { body } = await getJson<{ hits: Array<{ slug: string; producerSlug: string }> }>(url, '/api/search?limit=100&sort=newest');
    const quiet = body.hits.filter((h) => !USED_ELSEWHERE.has(h.slug));
    const a = quiet.at(-1)!;
    const aPage = (await untilCached(url, `/products/${a.slug}`)).html;
    // B: another product, not shown on A's page (A's page depends on its own stock and the cards it shows).
    const b = quiet.find((h) => h.slug !== a.slug && h.producerSlug !== a.producerSlug && !aPage.includes(h.slug))!;
    const generation = async () => (await sql<Array<{ g: string }>>`select last_value::text as g from page_cache_generation`)[0]!.g;
    const saved = await sql<Array<{ slug: string; stock: number; reserved: number; price: number }>>`select slug, stock, reserved, price from products where slug in (${a.slug}, ${b.slug})`;
    const stockOf = (html: string) => /class="stock[^"]*">([^<]*)</.exec(html)?.[1] ?? null;
    try {
      await sql`update products set stock = 50, reserved = 0 where slug in (${a.slug}, ${b.slug})`;
      const before = await untilCached(url, `/products/${a.slug}`);
      await untilCached(url, `/products/${b.slug}`);
      await untilCached(url, `/en/products/${b.slug}`);
      const g0 = await generation();

      // Another process moves B's stock (as an order would): A's page is still answered from memory…
      await sql`update products set stock = 3 where slug = ${b.slug}`;
      const stillA = await get(url, `/products/${a.slug}`);
      expect(stillA.headers.get('x-cache')).toBe('HIT');
      expect(await stillA.text()).toBe(before.html);
      // …B's page, in both languages, shows the new figure on the very next request.
      const bNow = await get(url, `/products/${b.slug}`);
      expect(bNow.headers.get('x-cache')).not.toBe('HIT');
      expect(stockOf(await bNow.text())).toBe('Chỉ còn 3');
      const bEn = await get(url, `/en/products/${b.slug}`);
      expect(bEn.headers.get('x-cache')).not.toBe('HIT');
      expect(stockOf(await bEn.text())).toBe('Only 3 left');
      // and search hits carry it (exact at or below what pages tell apart, STOCK_SHOWN_UP_TO = 20)
      const hits = (await getJson<{ hits: Array<{ slug: string; stock: number }> }>(url, '/api/search?limit=100&sort=newest')).body.hits;
      expect(hits.find((h) => h.slug === b.slug)?.stock).toBe(3);
      expect(hits.find((h) => h.slug === a.slug)?.stock).toBe(20);
      // A stock-only change did not move the generation (nothing else was dropped)…
      expect(await generation()).toBe(g0);

      // A move above what the page tells apart (50 → 40, "in stock" either way) changes nothing shown: still from memory.
      await sql`update products set stock = 40 where slug = ${a.slug}`;
      const same = await get(url, `/products/${a.slug}`);
      expect(same.headers.get('x-cache')).toBe('HIT');
      expect(stockOf(await same.text())).toBe('Còn hàng');

      // Sold out: shown at once, and the add-to-cart form is gone.
      await sql`update products set stock = 0 where slug = ${a.slug}`;
      const soldOut = await get(url, `/products/${a.slug}`);
      const soldOutHtml = await soldOut.text();
      expect(soldOut.headers.get('x-cache')).not.toBe('HIT');
      expect(stockOf(soldOutHtml)).toBe('Hết hàng');
      expect(soldOutHtml).not.toContain('class="add-to-cart"');

      // A real order moves stock the same way: placed for B, B's page shows the unit gone.
      await sql`update products set stock = 4 where slug = ${b.slug}`;
      await untilCached(url, `/products/${b.slug}`);
      const order = await fetch(new URL('/api/orders', url), {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ items: [{ slug: b.slug, qty: 1 }], customer: { name: 'Khách Kiểm Tra', phone: '0912345678', address: { line: '1 Tràng Tiền', commune: 'Hoàn Kiếm', province: 'Hà Nội' } }, payment: 'cod' }),
      });
      expect(order.status).toBe(201);
      await order.text();
      expect(stockOf(await (await get(url, `/products/${b.slug}`)).text())).toBe('Chỉ còn 3');

      // Anything but stock still moves the generation, as before.
      await sql`update products set stock = stock, price = price + 1 where slug = ${a.slug}`;
      expect(await generation()).not.toBe(g0);
    } finally {
      for (const r of saved) await sql`update products set stock = ${r.stock}, reserved = ${r.reserved}, price = ${r.price} where slug = ${r.slug}`;
    }
  });

  it('a gift box shows at once when a component runs short, while pages without that component stay cached', async () => {
    const [combo] = await sql<Array<{ slug: string; component: string; qty: number; stock: number }>>`
      select c.slug, p.slug as component, ci.qty, p.stock from combos c join combo_items ci on ci.combo_id = c.id join products p on p.id = ci.product_id
      where c.status = 'published' order by c.id, ci.product_id limit 1`;
    const { html } = await untilCached(url, `/combos/${combo!.slug}`);
    expect(html).toMatch(/class="stock[^"]*">/);
    // A product page that shows neither the box nor the component.
    let other: string | undefined;
    for (const slug of (await getJson<{ hits: Array<{ slug: string }> }>(url, '/api/search?limit=100&sort=newest')).body.hits.map((h) => h.slug)) {
      if (slug === combo!.component || html.includes(slug)) continue;
      const page = await untilCached(url, `/products/${slug}`);
      if (!page.html.includes(combo!.component) && !page.html.includes(combo!.slug)) {
        other = slug;
        break;
      }
    }
    expect(other).toBeDefined();
    try {
      await sql`update products set stock = ${combo!.qty * 2} where slug = ${combo!.component}`;
      const low = await get(url, `/combos/${combo!.slug}`);
      expect(low.headers.get('x-cache')).not.toBe('HIT');
      expect(await low.text()).toContain('Chỉ còn 2 hộp');
      await sql`update products set stock = 0 where slug = ${combo!.component}`;
      const out = await get(url, `/en/combos/${combo!.slug}`);
      expect(await out.text()).toContain('Temporarily out of stock');
      const still = await get(url, `/products/${other}`);
      expect(still.headers.get('x-cache')).toBe('HIT');
      await still.text();
    } finally {
      await sql`update products set stock = ${combo!.stock} where slug = ${combo!.component}`;
    }
  });

  it('keeps personal pages out: signed-in visitors, pages that set cookies, the cart and back office, other methods', async () => {
    const slug = await quietProduct();
    await untilCached(url, `/products/${slug}`);
    const signedIn = await get(url, `/products/${slug}`, { headers: { cookie: 'ocop_session=not-a-real-session' } });
    expect(signedIn.status).toBe(200);
    expect(signedIn.headers.get('x-cache')).toBeNull();
    await signedIn.text();

    // The header's cart count is the one per-visitor thing on these pages: it is part of the key.
    const withCart = await untilCached(url, '/', { headers: { cookie: 'cart_count=3' } });
    const without = await untilCached(url, '/');
    const count = (html: string) => /class="cart-count"[^>]*>(?:<[^>]+>)*\s*(\d+)/.exec(html)?.[1] ?? null;
    expect(count(withCart.html)).toBe('3');
    expect(count(without.html)).toBeNull();

    for (const path of ['/cart', '/checkout', '/login', '/dashboard', '/api/health', `/t/0000000000000000000`]) {
      const res = await get(url, path);
      await res.text();
      const again = await get(url, path);
      await again.text();
      expect(again.headers.get('x-cache'), path).toBeNull();
    }
    const post = await get(url, `/products/${slug}`, { method: 'POST', headers: { origin: url, 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    await post.text();
    expect(post.headers.get('x-cache')).toBeNull();
  });

  it('404s and bad input are rendered every time, never kept', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await get(url, '/products/khong-co-san-pham-nay');
      expect(res.status).toBe(404);
      await res.text();
      expect(res.headers.get('x-cache')).not.toBe('HIT');
    }
  });
});
