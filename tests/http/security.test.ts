import { describe, expect, it } from 'vitest';
import { get, servers } from '../support/http.ts';

describe.each(servers)('security headers on $name', ({ url }) => {
  it('pages carry a strict policy without inline scripts', async () => {
    for (const path of ['/', '/products', '/products/mam-tom-le-gia', '/en/combos', '/login', '/verify', '/no/such/page']) {
      const res = await get(url, path);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("script-src 'self'");
      expect(csp, path).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).toContain("object-src 'none'");
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), path).toBeTruthy();
      expect(res.headers.get('content-type'), path).toBe('text/html; charset=utf-8');
      expect(res.headers.get('strict-transport-security'), path).toBeNull(); // plain http here
      const html = await res.text();
      // Every script is an external file or a data block: nothing the policy would have to allow inline.
      for (const tag of html.match(/<script\b[^>]*>/g) ?? []) {
        expect(tag, path).toMatch(/\bsrc="\/|type="application\/ld\+json"/);
      }
      expect(html, path).not.toMatch(/\son[a-z]+="/); // no inline event handlers
    }
  });

  it('believes X-Forwarded-Proto only from a trusted proxy: a client claiming https gets no HSTS (issue 12)', async () => {
    // The servers here have TRUSTED_PROXY_HOPS=0; behind a trusted proxy HSTS and Secure cookies
    // are checked in tests/http/hardening.test.ts and tests/http/deployment.test.ts.
    const res = await get(url, '/', { headers: { 'x-forwarded-proto': 'https' } });
    expect(res.headers.get('strict-transport-security')).toBeNull();
    expect(res.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
    await res.arrayBuffer();
  });

  it('static files and JSON get the baseline headers too', async () => {
    const html = await (await get(url, '/')).text();
    const asset = /(?:href|src)="(\/_astro\/[^"]+)"/.exec(html)?.[1] ?? '/favicon.svg';
    for (const path of [asset, '/favicon.svg', '/api/health']) {
      const res = await get(url, path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      await res.arrayBuffer();
    }
  });

  it('never leaks a stack trace or a secret in error responses', async () => {
    for (const path of ['/api/products/%E0%A4%A', '/products/%00', '/api/search?page=%', '/t/%FF%FE', '/01/abc']) {
      const res = await get(url, path);
      const body = await res.text();
      expect(res.status, path).toBeLessThan(500);
      expect(body, path).not.toMatch(/at [\w.<>]+ \(|node_modules|\.ts:\d+|stamp-secret|STAMP_SECRET/);
    }
  });
});

describe.each(servers)('client addresses on $name', (server) => {
  it('a forged X-Forwarded-For is not believed without TRUSTED_PROXY_HOPS: the scan is filed under the real network', async () => {
    const { issueStamps } = await import('../support/stamps.ts');
    const { serverSql } = await import('../support/server-sql.ts');
    const { stamps } = await issueStamps(server, 'mam-tom-le-gia', 1);
    const path = new URL(stamps[0]!.url).pathname;
    const res = await get(server.url, path, { headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(res.status).toBe(200);
    await res.text();
    const sql = serverSql(server);
    try {
      let rows: Array<{ network_prefix: string | null }> = [];
      for (let i = 0; i < 40 && rows.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 100)); // scans are written in batches every 500 ms
        rows = await sql`select sc.network_prefix from scans sc join stamps s on s.id = sc.stamp_id where s.code = ${path.split('/').pop()!}`;
      }
      expect(rows).toHaveLength(1);
      expect(rows[0]!.network_prefix).not.toBe('203.0.0.0/16');
      expect(rows[0]!.network_prefix).toMatch(/^127\.0\.0\.0\/16$|^::\/32$/);
    } finally {
      await sql.end();
    }
  });
});
