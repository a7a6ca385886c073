import { describe, expect, it } from 'vitest';
import { gs1CheckDigit, isValidGtin, makeGtin13, toGtin14 } from './gtin.ts';

describe('GS1 check digits', () => {
  it.each([
    ['8934588012228', true], // a Vietnamese GTIN-13
    ['4006381333931', true],
    ['96385074', true], // GTIN-8
    ['036000291452', true], // GTIN-12 (UPC-A)
    ['10614141000415', true], // GTIN-14
    ['8934588012229', false],
    ['893458801222', false], // 12 digits, wrong check
    ['893458801222a', false],
    ['', false],
  ])('%s → %s', (gtin, valid) => {
    expect(isValidGtin(gtin)).toBe(valid);
  });

  it('builds GTIN-13s and pads to 14 digits', () => {
    const gtin = makeGtin13('893100110000');
    expect(gtin).toHaveLength(13);
    expect(isValidGtin(gtin)).toBe(true);
    expect(toGtin14(gtin)).toBe(`0${gtin}`);
    expect(isValidGtin(toGtin14(gtin))).toBe(true);
    expect(gs1CheckDigit('629104150021')).toBe(3);
  });
});
