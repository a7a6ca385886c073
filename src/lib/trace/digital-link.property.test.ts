import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hostileString } from '../../../tests/support/arbitraries.ts';
import { isValidGtin, makeGtin13 } from '../catalog/index.ts';
import { buildDigitalLink, CSET82, parseDigitalLink, type DigitalLink } from './digital-link.ts';
import { checkTypedCode } from './typed-code.ts';
import { generateStampCode, stampSecret } from '../stamps/index.ts';

const CSET82_CHARS = [...'!"%&\'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz'];
const value = fc.array(fc.constantFrom(...CSET82_CHARS), { minLength: 1, maxLength: 20 }).map((c) => c.join(''));
const gtin = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 12, maxLength: 12 }).map((d) => makeGtin13(d.join('')));
const link: fc.Arbitrary<DigitalLink> = fc.record({ gtin: gtin.map((g) => g.padStart(14, '0')), cpv: value, lot: value, serial: value }, { requiredKeys: ['gtin'] });
const segment = fc.oneof(fc.constantFrom('01', '10', '21', '22', '8004', '', '%', '%25', '%2F', '%zz', '08934588012228', '8934588012228', '96385074'), hostileString(['0', '1', '%', 'A'], 12), value);
const path = fc.array(segment, { maxLength: 8 }).map((s) => `/${s.join('/')}`);

describe('GS1 Digital Link paths, for any input', () => {
  it('parsing never throws and every accepted link satisfies the format', () => {
    fc.assert(fc.property(fc.oneof(path, fc.string({ unit: 'binary' })), (p) => {
      const r = parseDigitalLink(p);
      if (!r.ok) {
        expect(typeof r.detail).toBe('string');
        return;
      }
      expect(r.link.gtin).toMatch(/^\d{14}$/);
      expect(isValidGtin(r.link.gtin)).toBe(true);
      for (const v of [r.link.cpv, r.link.lot, r.link.serial]) if (v !== undefined) expect(CSET82.test(v) && v.length >= 1 && v.length <= 20).toBe(true);
    }), { numRuns: 5000 });
  });

  it('build ↔ parse round-trips, and the built form is canonical', () => {
    fc.assert(fc.property(link, (l) => {
      const built = buildDigitalLink(l);
      const r = parseDigitalLink(built);
      expect(r).toMatchObject({ ok: true, isCanonical: true, canonical: built });
      if (r.ok) expect(r.link).toEqual(l);
    }), { numRuns: 3000 });
  });

  it('canonicalising is idempotent', () => {
    fc.assert(fc.property(fc.oneof(path, link.map((l) => buildDigitalLink(l).replace(/%2F/g, '%2f'))), (p) => {
      const r = parseDigitalLink(p);
      if (!r.ok) return;
      const again = parseDigitalLink(r.canonical);
      expect(again).toMatchObject({ ok: true, isCanonical: true, canonical: r.canonical, link: r.link });
    }), { numRuns: 3000 });
  });
});

describe('codes typed or pasted on /verify, for any input', () => {
  it('never throws; an accepted code is the normal form of a stamp that passes its check', () => {
    const code = generateStampCode(stampSecret());
    const input = fc.oneof(fc.string({ unit: 'binary' }), hostileString([code, code.toLowerCase(), 'https://cho-ocop.vn/t/', '/t/', '?x=1', '#', 'http:'], 6));
    fc.assert(fc.property(input, (s) => {
      const r = checkTypedCode(s);
      if (r.ok) expect(r.code).toBe(code);
    }), { numRuns: 3000 });
  });
});
