import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hostileString } from '../../../tests/support/arbitraries.ts';
import { CODE_LENGTH, formatStampCode, generateStampCode, normalizeStampCode, verifyStampCode } from './stamp-code.ts';

const SECRET = 'property-test-secret';
const CROCKFORD = /^[0-9A-HJKMNP-TV-Z]{19}$/;
const valid = generateStampCode(SECRET);
/** Input near a real code: its characters, the look-alikes and separators people type. */
const nearCode = hostileString([...valid, valid, valid.slice(0, 10), formatStampCode(valid), valid.toLowerCase(), 'O', 'I', 'L', '-', ' '], 25);
const anyInput = fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), nearCode);

describe('stamp codes, for any input', () => {
  it('normalising never throws and yields null or 19 Crockford characters', () => {
    fc.assert(fc.property(anyInput, (input) => {
      const out = normalizeStampCode(input);
      expect(out === null || CROCKFORD.test(out)).toBe(true);
    }), { numRuns: 3000 });
  });

  it('normalising is idempotent', () => {
    fc.assert(fc.property(anyInput, (input) => {
      const once = normalizeStampCode(input);
      if (once !== null) expect(normalizeStampCode(once)).toBe(once);
    }), { numRuns: 3000 });
  });

  it('verifying never throws, whatever the code and the secret', () => {
    fc.assert(fc.property(anyInput, fc.string({ unit: 'binary' }), (input, secret) => {
      expect(typeof verifyStampCode(input, secret || SECRET)).toBe('boolean');
    }), { numRuns: 2000 });
  });

  it('a generated code survives the ways people write it: case, groups, spaces, dashes, O for 0, I/L for 1', () => {
    fc.assert(fc.property(
      fc.constantFrom(...Array.from({ length: 50 }, () => generateStampCode(SECRET))),
      fc.array(fc.constantFrom('', ' ', '-', '  ', '.', '_'), { minLength: CODE_LENGTH + 1, maxLength: CODE_LENGTH + 1 }),
      fc.array(fc.boolean(), { minLength: CODE_LENGTH, maxLength: CODE_LENGTH }),
      (code, separators, lower) => {
        const written = [...code].map((c, i) => {
          const look = c === '0' ? 'O' : c === '1' ? (i % 2 ? 'I' : 'l') : c;
          return separators[i] + (lower[i] ? look.toLowerCase() : look);
        }).join('') + separators[CODE_LENGTH];
        expect(normalizeStampCode(written)).toBe(code);
        expect(verifyStampCode(written, SECRET)).toBe(true);
        expect(normalizeStampCode(formatStampCode(code))).toBe(code);
      },
    ), { numRuns: 1000 });
  });

  it('a code verified under one secret fails under another (the check is keyed)', () => {
    fc.assert(fc.property(fc.string({ minLength: 1 }).filter((s) => s !== SECRET), (other) => {
      const code = generateStampCode(SECRET);
      // 30 bits of check: a collision has probability 2^-30 per draw.
      expect(verifyStampCode(code, other)).toBe(false);
    }), { numRuns: 300 });
  });
});
