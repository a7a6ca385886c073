import { afterAll, describe, expect, it } from 'vitest';
import { enablePageCache, pageCacheKey } from './page-cache.ts';

const req = (url: string, headers: Record<string, string> = {}, method = 'GET') => ({ method, url, headers: { host: 'cho-ocop.vn', ...headers } });

describe('pageCacheKey', () => {
  afterAll(() => enablePageCache(0, { searchPages: false }));

  it('takes public pages of anonymous visitors, keyed by scheme, host, URL and cart count', () => {
    enablePageCache(1, { searchPages: true });
    for (const url of ['/', '/en', '/products', '/en/products?q=tra', '/products/mam-tom-le-gia', '/producers/htx-x', '/combos', '/en/combos/qua-tet', '/verify', '/api/search?q=mat+ong']) {
      expect(pageCacheKey(req(url)), url).not.toBeNull();
    }
    expect(pageCacheKey(req('/products/x', {}, 'HEAD'))).toBe(pageCacheKey(req('/products/x')));
    expect(pageCacheKey(req('/products/x', { cookie: 'cart_count=2' }))).not.toBe(pageCacheKey(req('/products/x')));
    expect(pageCacheKey(req('/products/x', { cookie: 'cart_count=junk' }))).toBe(pageCacheKey(req('/products/x')));
    expect(pageCacheKey(req('/products/x', { host: 'evil.example' }))).not.toBe(pageCacheKey(req('/products/x')));
    expect(pageCacheKey(req('/products/x', { 'x-forwarded-proto': 'https' }))).not.toBe(pageCacheKey(req('/products/x')));
  });

  it('leaves out personal, unsafe and uncacheable requests', () => {
    enablePageCache(1, { searchPages: true });
    expect(pageCacheKey(req('/products/x', { cookie: 'a=b; ocop_session=abc' }))).toBeNull();
    expect(pageCacheKey(req('/products/x', { authorization: 'Bearer t' }))).toBeNull();
    expect(pageCacheKey(req('/products/x', {}, 'POST'))).toBeNull();
    for (const url of ['/cart', '/checkout', '/login', '/dashboard', '/admin', '/orders/ord_x', '/t/ABC', '/api/orders', '/api/health', '/products/X', '/products/a/b', `/products?q=${'a'.repeat(3000)}`]) {
      expect(pageCacheKey(req(url)), url).toBeNull();
    }
  });

  it('keeps search pages out when Meilisearch answers them, and everything out when off', () => {
    enablePageCache(1, { searchPages: false });
    expect(pageCacheKey(req('/api/search?q=tra'))).toBeNull();
    expect(pageCacheKey(req('/products?q=tra'))).toBeNull();
    expect(pageCacheKey(req('/en/products'))).toBeNull();
    expect(pageCacheKey(req('/products/mam-tom-le-gia'))).not.toBeNull();
    enablePageCache(0, { searchPages: true });
    expect(pageCacheKey(req('/products/mam-tom-le-gia'))).toBeNull();
  });
});
