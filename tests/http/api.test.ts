import { describe, expect, it } from 'vitest';
import { getJson, get, servers } from '../support/http.ts';

describe.each(servers)('JSON API on $name', ({ name, url }) => {
  it('GET /api/health reports the database and search backend', async () => {
    const { status, body } = await getJson(url, '/api/health');
    expect(status).toBe(200);
    expect(body).toEqual({ ok: true, db: name, search: 'postgres' });
  });

  it('GET /api/products/<slug> gives the product in the documented shape', async () => {
    const { status, body } = await getJson<Record<string, any>>(url, '/api/products/mam-tom-le-gia');
    expect(status).toBe(200);
    expect(body).toMatchObject({ slug: 'mam-tom-le-gia', name: 'Mắm tôm Lê Gia', stars: 5, producer: { slug: expect.any(String), name: expect.any(String) } });
    expect(Number.isInteger(body.price)).toBe(true);
    expect(Number.isInteger(body.stock)).toBe(true);
    expect(body.gtin).toMatch(/^893\d{10}$/);
    expect(body.certificate).toMatchObject({ number: expect.any(String), status: 'valid', validUntil: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    expect(body.province).toBe('thanh-hoa');
    expect(body.group).toBe('food');
  });

  it('GET /api/products/<unknown> is a JSON 404', async () => {
    for (const slug of ['no-such-product', '%27%20or%201%3D1', 'a'.repeat(3000)]) {
      const { status, body } = await getJson<{ error: { code: string } }>(url, `/api/products/${slug}`);
      expect(status).toBe(404);
      expect(body.error.code).toBeTruthy();
    }
    const { status } = await getJson(url, '/api/no-such-endpoint');
    expect(status).toBe(404);
  });

  it('GET /api/search lists with filters, facets and paging', async () => {
    const { status, body } = await getJson<Record<string, any>>(url, '/api/search?group=food&stars=5&limit=5');
    expect(status).toBe(200);
    expect(body.total).toBeGreaterThan(0);
    expect(body.page).toBe(1);
    expect(body.hits.length).toBeLessThanOrEqual(5);
    for (const h of body.hits) {
      expect(h).toMatchObject({ slug: expect.any(String), name: expect.any(String), producer: expect.any(String), province: expect.any(String), group: 'food', stars: 5, price: expect.any(Number) });
    }
    expect(Object.keys(body.facets)).toEqual(['group', 'stars', 'province']);
    expect(body.facets.group.food).toBe(body.total);
  });

  it('GET /api/search never answers 5xx to malformed parameters', async () => {
    const bad = ['page=-1', 'page=abc', 'page=99999999999999999999', 'limit=0', 'limit=-5', 'stars=6', 'stars=%00', 'sort=%3Bdrop', 'priceMin=abc&priceMax=-1',
      `q=${'%F0%9F%98%80'.repeat(100)}`, `q=${'a'.repeat(5000)}`, 'group[]=x', 'province=%E0%A4%A', 'q=%27%22%3C%3E'];
    for (const qs of bad) {
      const res = await get(url, `/api/search?${qs}`);
      expect(res.status, qs).toBeLessThan(500);
      await res.arrayBuffer();
    }
    const { body } = await getJson<Record<string, any>>(url, '/api/search?page=500');
    expect(body.hits).toEqual([]);
  });

  it('serves product pictures from storage with safe headers', async () => {
    const { body } = await getJson<Record<string, any>>(url, '/api/products/mam-tom-le-gia');
    const res = await get(url, new URL(body.images[0].url).pathname);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain('sandbox');
    expect(await res.text()).toContain('<svg');
    for (const path of ['/media/../../etc/passwd', '/media/products/..%2f..%2fpglite.json', '/media/stamp-secret', '/media/products/none.svg', '/media/x.html']) {
      const r = await get(url, path);
      expect(r.status, path).toBe(404);
      expect(await r.text()).not.toContain('socketPath');
    }
  });
});
