import { describe, expect, it } from 'vitest';
import { CODE_LENGTH, formatStampCode, generateStampCode, normalizeStampCode, verifyStampCode } from './stamp-code.ts';

const SECRET = 'unit-test-secret';

describe('stamp codes', () => {
  it('are 19 Crockford base32 characters that pass their own check', () => {
    const code = generateStampCode(SECRET);
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{19}$/);
    expect(code).toHaveLength(CODE_LENGTH);
    expect(verifyStampCode(code, SECRET)).toBe(true);
  });

  it('are unique across many draws', () => {
    const codes = new Set(Array.from({ length: 5000 }, () => generateStampCode(SECRET)));
    expect(codes.size).toBe(5000);
  });

  it('fail the check under another secret', () => {
    expect(verifyStampCode(generateStampCode(SECRET), 'other-secret')).toBe(false);
  });

  it('reject every single-character typo', () => {
    const code = generateStampCode(SECRET);
    const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    let accepted = 0;
    for (let i = 0; i < code.length; i++) {
      for (const c of alphabet) {
        if (c === code[i]) continue;
        if (verifyStampCode(code.slice(0, i) + c + code.slice(i + 1), SECRET)) accepted++;
      }
    }
    expect(accepted).toBe(0);
  });

  it('normalise what people type: case, spaces, dashes, O→0 and I/L→1', () => {
    const code = generateStampCode(SECRET);
    const typed = formatStampCode(code).toLowerCase().replace(/0/g, 'o').replace(/1/g, 'l');
    expect(normalizeStampCode(` ${typed.replace(/-/g, ' - ')} `)).toBe(code);
    expect(verifyStampCode(typed, SECRET)).toBe(true);
  });

  it('refuse input that cannot be a code', () => {
    for (const bad of ['', 'abc', 'U'.repeat(19), `${'A'.repeat(19)}A`, "'; drop table stamps;--", 'é'.repeat(19)]) {
      expect(normalizeStampCode(bad)).toBeNull();
      expect(verifyStampCode(bad, SECRET)).toBe(false);
    }
  });
});
