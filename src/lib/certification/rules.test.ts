import { describe, expect, it } from 'vitest';
import { certifyingLevel, starsForScore, validUntil } from './rules.ts';

describe('OCOP rules', () => {
  it.each([
    [0, 1], [29, 1], [29.99, 1], [30, 2], [49, 2], [49.99, 2], [50, 3], [69, 3], [69.99, 3],
    [70, 4], [89, 4], [89.99, 4], [90, 5], [100, 5],
  ])('score %d gives %d★', (score, stars) => {
    expect(starsForScore(score)).toBe(stars);
  });

  it('refuses scores outside 0–100', () => {
    expect(() => starsForScore(-1)).toThrow(RangeError);
    expect(() => starsForScore(100.5)).toThrow(RangeError);
    expect(() => starsForScore(Number.NaN)).toThrow(RangeError);
  });

  it('certificates are valid for 36 months', () => {
    expect(validUntil('2023-05-10')).toBe('2026-05-10');
    expect(validUntil('2021-02-28')).toBe('2024-02-28');
    expect(validUntil('2023-08-31')).toBe('2026-08-31');
  });

  it('knows who certifies before and after the July 2025 reform', () => {
    expect(certifyingLevel(3, '2024-01-01')).toBe('district');
    expect(certifyingLevel(4, '2024-01-01')).toBe('province');
    expect(certifyingLevel(3, '2025-07-01')).toBe('province');
    expect(certifyingLevel(5, '2025-08-01')).toBe('central');
  });
});

describe('council quorum', () => {
  it('needs 75 % of the appointed members, rounded up', async () => {
    const { quorumFor, COUNCIL_RULES } = await import('./rules.ts');
    expect([4, 8, 9, 10, 11].map(quorumFor)).toEqual([3, 6, 7, 8, 9]);
    expect(COUNCIL_RULES.maxMembers).toBe(11);
  });
});
