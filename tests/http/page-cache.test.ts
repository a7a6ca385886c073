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
