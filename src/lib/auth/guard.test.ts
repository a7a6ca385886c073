import { describe, expect, it } from 'vitest';
import { bearerToken, decide, isCrossSite, requirementFor, safeNext } from './guard.ts';
import type { CurrentUser } from './auth.types.ts';

const own = ['http://127.0.0.1:4321', 'https://cho-ocop.vn'];
const h = (init: Record<string, string>) => new Headers(init);
const producer: CurrentUser = { id: 2, email: 'p@ocop.local', name: 'P', role: 'producer', producerId: 7, producerSlug: 'p', producerName: 'P', via: 'session', sessionId: 'x' };
const admin: CurrentUser = { ...producer, id: 1, role: 'admin', producerId: null, producerSlug: null };

describe('cross-site requests', () => {
  it('refuse a foreign or opaque Origin on every state-changing method, JSON included', () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      expect(isCrossSite(method, h({ origin: 'https://evil.example', 'content-type': 'application/json' }), own)).toBe(true);
      expect(isCrossSite(method, h({ origin: 'null' }), own)).toBe(true);
      expect(isCrossSite(method, h({ origin: 'http://127.0.0.1:4321' }), own)).toBe(false);
    }
    expect(isCrossSite('POST', h({ origin: 'https://cho-ocop.vn' }), own)).toBe(false);
    expect(isCrossSite('POST', h({ origin: 'https://cho-ocop.vn.evil.example' }), own)).toBe(true);
  });

  it('fall back to Sec-Fetch-Site and let non-browser clients through', () => {
    expect(isCrossSite('POST', h({ 'sec-fetch-site': 'cross-site' }), own)).toBe(true);
    expect(isCrossSite('POST', h({ 'sec-fetch-site': 'same-site' }), own)).toBe(true);
    expect(isCrossSite('POST', h({ 'sec-fetch-site': 'same-origin' }), own)).toBe(false);
    expect(isCrossSite('POST', h({}), own)).toBe(false);
  });

  it('never block reads', () => {
    expect(isCrossSite('GET', h({ origin: 'https://evil.example' }), own)).toBe(false);
  });
});

describe('roles', () => {
  it('map areas to roles, tokens only on the producer API', () => {
    expect(requirementFor('/dashboard')).toMatchObject({ role: 'producer', api: false, tokenAllowed: false });
    expect(requirementFor('/dashboard/products/x')).toMatchObject({ role: 'producer' });
    expect(requirementFor('/api/producer/products')).toMatchObject({ role: 'producer', api: true, tokenAllowed: true });
    expect(requirementFor('/admin/certificates')).toMatchObject({ role: 'admin', api: false });
    expect(requirementFor('/api/admin/certificates')).toMatchObject({ role: 'admin', api: true, tokenAllowed: false });
    expect(requirementFor('/administrator')).toBeNull();
    expect(requirementFor('/dashboards')).toBeNull();
    expect(requirementFor('/products/x')).toBeNull();
  });

  it('decide: anonymous, wrong role, token outside the producer API', () => {
    expect(decide(null, requirementFor('/dashboard'))).toBe('unauthenticated');
    expect(decide(producer, requirementFor('/admin'))).toBe('forbidden');
    expect(decide(admin, requirementFor('/dashboard'))).toBe('forbidden');
    expect(decide(producer, requirementFor('/dashboard'))).toBe('ok');
    expect(decide(admin, requirementFor('/api/admin/producers'))).toBe('ok');
    expect(decide({ ...producer, via: 'token' }, requirementFor('/api/producer/products'))).toBe('ok');
    expect(decide({ ...producer, via: 'token' }, requirementFor('/dashboard'))).toBe('unauthenticated');
    expect(decide({ ...producer, producerId: null }, requirementFor('/dashboard'))).toBe('forbidden');
    expect(decide(null, null)).toBe('ok');
  });
});

describe('helpers', () => {
  it('only follow same-site paths after sign-in', () => {
    expect(safeNext('/dashboard/products?x=1')).toBe('/dashboard/products?x=1');
    for (const bad of ['//evil.example', '/\\evil.example', 'https://evil.example', 'javascript:alert(1)', '/a\nb', '', null]) expect(safeNext(bad)).toBeNull();
  });

  it('read Bearer tokens', () => {
    expect(bearerToken('Bearer ocop_abc')).toBe('ocop_abc');
    expect(bearerToken('bearer  ocop_abc ')).toBe('ocop_abc');
    expect(bearerToken('Basic xyz')).toBeNull();
    expect(bearerToken(null)).toBeNull();
  });
});
