import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hostileString } from '../../../tests/support/arbitraries.ts';
import { gs1CheckDigit, isValidGtin, makeGtin13, toGtin14 } from './gtin.ts';

const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));

describe('GTINs, for any input', () => {
  it('validation never throws and accepts only 8, 12, 13 or 14 ASCII digits', () => {
    fc.assert(fc.property(fc.oneof(hostileString(['0', '8', '9', '893', '٣', '８'], 16), digits(13), fc.string({ unit: 'binary' })), (s) => {
      if (isValidGtin(s)) expect(s).toMatch(/^(\d{8}|\d{12,14})$/);
    }), { numRuns: 3000 });
  });

  it('makeGtin13 builds valid GTINs; padding to 14 keeps them valid; any single-digit change breaks the check', () => {
    fc.assert(fc.property(digits(12), fc.nat(12), fc.integer({ min: 1, max: 9 }), (data, pos, delta) => {
      const gtin = makeGtin13(data);
      expect(isValidGtin(gtin)).toBe(true);
      expect(isValidGtin(toGtin14(gtin))).toBe(true);
      expect(gs1CheckDigit(`0${data}`)).toBe(gs1CheckDigit(data));
      const changed = gtin.slice(0, pos) + ((Number(gtin[pos]) + delta) % 10) + gtin.slice(pos + 1);
      expect(isValidGtin(changed)).toBe(false);
    }), { numRuns: 2000 });
  });

  it('makeGtin13 refuses anything but 12 digits with an error, not a bad GTIN', () => {
    fc.assert(fc.property(hostileString(['1', '2', '3'], 14).filter((s) => !/^\d{12}$/.test(s)), (s) => {
      expect(() => makeGtin13(s)).toThrow(/12 data digits/);
    }), { numRuns: 500 });
  });
});
