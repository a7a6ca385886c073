import { describe, expect, it } from 'vitest';
import { forwardedFrom } from './edge.ts';
import { isCrossSite } from '../auth/guard.ts';

describe('the visitor as a trusted proxy reports it (issue 12, item 2)', () => {
  const headers = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'cho-ocop.vn' };
  it('trusts X-Forwarded-Proto/Host only through TRUSTED_PROXY_HOPS proxies', () => {
    expect(forwardedFrom(headers, false, 0)).toEqual({ https: false, host: null });
    expect(forwardedFrom(headers, false, 1)).toEqual({ https: true, host: 'cho-ocop.vn' });
    // The client's own entry is left of the proxy's: never believed.
    expect(forwardedFrom({ 'x-forwarded-proto': 'https, http', 'x-forwarded-host': 'evil.example, cho-ocop.vn' }, false, 1)).toEqual({ https: false, host: 'cho-ocop.vn' });
    expect(forwardedFrom({ 'x-forwarded-proto': 'https, http' }, false, 2).https).toBe(true);
    expect(forwardedFrom({ 'x-forwarded-host': 'a/b@evil' }, false, 1).host).toBeNull();
    expect(forwardedFrom({}, true, 0).https).toBe(true);
  });
});

describe('the origin check (items 2 and 6)', () => {
  const own = ['https://cho-ocop.vn'];
  const h = (init: Record<string, string>) => new Headers(init);
  it('a script with a Bearer token needs no Origin; a cookie-carrying form post without one is refused', () => {
    expect(isCrossSite('POST', h({ 'content-type': 'multipart/form-data; boundary=x', authorization: 'Bearer ocop_x' }), own, true)).toBe(false);
    expect(isCrossSite('POST', h({ 'content-type': 'multipart/form-data; boundary=x', cookie: 'ocop_session=x' }), own)).toBe(true);
    expect(isCrossSite('POST', h({ 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example', cookie: 'ocop_session=x' }), own)).toBe(true);
    expect(isCrossSite('POST', h({ 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' }), own, true)).toBe(true);
    expect(isCrossSite('POST', h({ 'content-type': 'application/x-www-form-urlencoded', origin: 'https://cho-ocop.vn', cookie: 'c=1' }), own)).toBe(false);
    expect(isCrossSite('POST', h({ 'content-type': 'application/json' }), own)).toBe(false);
    expect(isCrossSite('POST', h({ 'sec-fetch-site': 'cross-site' }), own)).toBe(true);
    expect(isCrossSite('GET', h({ origin: 'https://evil.example' }), own)).toBe(false);
  });
});
