import { describe, expect, it } from 'vitest';
import { get, getJson, servers } from '../support/http.ts';

describe.each(servers)('catalogue search over HTTP on $name', ({ url }) => {
  it('GET /api/search finds accent-less, misspelt and English queries, with facets', async () => {
    const { status, body } = await getJson<{ hits: Array<{ name: string; slug: string }>; total: number; facets: Record<string, Record<string, number>>; page: number }>(url, '/api/search?q=nuoc+mamm');
    expect(status).toBe(200);
    expect(body.hits.map((h) => h.name)).toContain('Nước mắm Năm Quyên');
    expect(body.facets.group?.food).toBeGreaterThan(0);
    const en = await getJson<{ hits: Array<{ name: string }> }>(url, '/api/search?q=fish+sauce&lang=en');
    expect(en.body.hits.map((h) => h.name)).toContain('Nam Quyen fish sauce');
  });

  it('answers bad input with results, never a 5xx', async () => {
    for (const qs of [`q=${'x'.repeat(5000)}`, 'q=%27%3B+drop+table+products%3B--', 'page=-1&limit=abc&group=zz&stars=9', 'page=99999999', 'q=%F0%9F%98%80']) {
      const { status, body } = await getJson<{ hits: unknown[] }>(url, `/api/search?${qs}`);
      expect(status, qs).toBe(200);
      expect(Array.isArray(body.hits)).toBe(true);
    }
    // Broken percent-encoding is refused before it reaches the search (a 400), never a 5xx.
    expect((await get(url, '/api/search?q=%E0%A4')).status).toBeLessThan(500);
  });

  it('/products works as a plain form and loads the live search as a bundled file, not inline', async () => {
    const res = await get(url, '/products?q=mat+ong');
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain('Mật ong Phương Di');
    expect(html).toMatch(/<live-search>/);
    expect(html).toMatch(/<script type="module" src="\/_astro\/[^"]+\.js"><\/script>/);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)(?![^>]*application\/ld\+json)[^>]*>/);
  });
});
