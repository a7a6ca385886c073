import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hostileJson, mutate } from '../../../tests/support/arbitraries.ts';
import { isValidGtin } from '../catalog/index.ts';
import { isAppError } from '../errors/index.ts';
import { LotCreateSchema, LotEventSchema, ProductCreateSchema, ProductPatchSchema, groupOfSubgroup } from './backoffice.schemas.ts';
import { validate } from './validate.ts';

/** The producer API's payloads: near-valid bodies with one or two fields replaced, and noise. */
const product = { subgroup: 'nuoc-mam', nameVi: 'Nước mắm cốt', nameEn: 'Fish sauce', price: 85000, unitVi: 'chai 500 ml', unitEn: '500 ml bottle', stock: 10, gtin: '8934588012228', standards: ['TCVN 5107:2018'], status: 'draft' };
const lot = { product: 'mam-tom-le-gia', code: 'L2026-05', producedOn: '2026-05-01', bestBefore: '2027-05-01', quantity: 500 };
const event = { bizStep: 'harvesting', occurredAt: '2026-05-01T08:30', timeZoneOffset: '+07:00', placeName: 'Vườn', latitude: 21.5, longitude: 105.8, evidence: [{ type: 'photo', title: 'Ảnh', url: '/media/x.jpg' }] };
const near = <T extends Record<string, unknown>>(v: T) => fc.oneof(hostileJson, mutate(v, [...Object.keys(v), 'extra']), mutate(v, Object.keys(v)).chain((m) => mutate(m as T, Object.keys(v))));

function parsesOr400<S extends Parameters<typeof validate>[0]>(schema: S, body: unknown) {
  try {
    return validate(schema, body);
  } catch (err) {
    expect(isAppError(err) && err.status === 400).toBe(true);
    expect(Object.keys((err as { fields?: object }).fields ?? {}).length).toBeGreaterThan(0);
    return undefined;
  }
}

const isCalendarDate = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);

describe('producer API payloads, for any JSON', () => {
  it('products: valid or a 400 with fields; accepted products satisfy the catalogue rules', () => {
    fc.assert(fc.property(near(product), (body) => {
      const p = parsesOr400(ProductCreateSchema, body);
      if (!p) return;
      expect(groupOfSubgroup(p.subgroup)).toBeDefined();
      expect(Number.isSafeInteger(p.price) && p.price >= 0).toBe(true);
      expect(Number.isSafeInteger(p.stock) && p.stock >= 0).toBe(true);
      expect(p.gtin === null || isValidGtin(p.gtin)).toBe(true);
      expect(p.nameVi.trim().length).toBeGreaterThanOrEqual(2);
    }), { numRuns: 2000 });
    fc.assert(fc.property(near(product), (body) => {
      parsesOr400(ProductPatchSchema, body);
    }), { numRuns: 1000 });
  });

  it('lots: valid or a 400; accepted dates are real calendar dates in order', () => {
    fc.assert(fc.property(near(lot), (body) => {
      const l = parsesOr400(LotCreateSchema, body);
      if (!l) return;
      expect(isCalendarDate(l.producedOn)).toBe(true);
      if (l.bestBefore) expect(isCalendarDate(l.bestBefore) && l.bestBefore >= l.producedOn).toBe(true);
      expect(l.code).toMatch(/^[!-~]{1,20}$/);
    }), { numRuns: 2000 });
  });

  it('trace events: valid or a 400; coordinates in range, offsets well-formed', () => {
    fc.assert(fc.property(near(event), (body) => {
      const e = parsesOr400(LotEventSchema, body);
      if (!e) return;
      if (e.latitude !== undefined) expect(Math.abs(e.latitude)).toBeLessThanOrEqual(90);
      if (e.longitude !== undefined) expect(Math.abs(e.longitude)).toBeLessThanOrEqual(180);
      expect(e.timeZoneOffset).toMatch(/^[+-]\d{2}:\d{2}$/);
      for (const ev of e.evidence) expect(ev.url.startsWith('/media/') || ev.url.startsWith('https://')).toBe(true);
    }), { numRuns: 2000 });
  });
});
