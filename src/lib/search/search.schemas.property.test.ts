import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hostileString } from '../../../tests/support/arbitraries.ts';
import { isGroup, isProvince, isSubgroup } from '../catalog/index.ts';
import { DEFAULT_LIMIT, MAX_LIMIT, MAX_PAGE, MAX_QUERY_LENGTH, parseSearchParams, searchParamsOf } from './search.schemas.ts';
import { SORTS } from './search.types.ts';

const NAMES = ['q', 'group', 'subgroup', 'stars', 'province', 'producer', 'priceMin', 'priceMax', 'sort', 'page', 'limit', 'x'];
const VALUES = ['food', 'beverages', 'tea', 'ha-noi', 'thai-nguyen', '3', '5', ',', ' ', '0', '1', '-1', '1e3', '99999999999999999', 'price_asc', 'stars', 'cong-ty-le-gia', 'nước mắm', 'nuoc', '%', '%2C', '+', '&', '='];
const pair = fc.tuple(fc.constantFrom(...NAMES), fc.oneof(hostileString(VALUES, 12), fc.string({ unit: 'binary', maxLength: 250 }), fc.constantFrom(...VALUES)));
/** Query strings as a browser or a script may send them: pairs, raw strings, percent-escapes. */
const queryString = fc.oneof(
  fc.array(pair, { maxLength: 12 }).map((pairs) => new URLSearchParams(pairs).toString()),
  hostileString(['q=', 'group=', '&', '=', '%', '%E1%BA', 'stars=5', 'page=2', 'limit=100'], 30),
);

describe('search parameters, for any query string', () => {
  it('parsing never throws and every field is within its bounds', () => {
    fc.assert(fc.property(queryString, (qs) => {
      const q = parseSearchParams(new URLSearchParams(qs));
      expect([...q.q].length).toBeLessThanOrEqual(MAX_QUERY_LENGTH);
      expect(q.q).not.toMatch(/[\u0000-\u001f\u007f]/);
      expect(q.q).toBe(q.q.trim());
      expect(q.q.isWellFormed()).toBe(true);
      expect(q.groups.every(isGroup) && q.subgroups.every(isSubgroup) && q.provinces.every(isProvince)).toBe(true);
      expect(q.stars.every((s) => Number.isInteger(s) && s >= 1 && s <= 5)).toBe(true);
      expect(SORTS).toContain(q.sort);
      expect(Number.isSafeInteger(q.page) && q.page >= 1 && q.page <= MAX_PAGE + 1).toBe(true);
      expect(Number.isInteger(q.limit) && q.limit >= 1 && q.limit <= MAX_LIMIT).toBe(true);
      for (const p of [q.priceMin, q.priceMax]) if (p !== undefined) expect(Number.isSafeInteger(p) && p >= 0).toBe(true);
      if (q.producer !== undefined) expect(q.producer).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    }), { numRuns: 5000 });
  });

  it('the canonical query string parses back to the same search (build ↔ parse), and is a fixed point', () => {
    fc.assert(fc.property(queryString, (qs) => {
      const q = parseSearchParams(new URLSearchParams(qs));
      const canonical = searchParamsOf(q).toString();
      expect(parseSearchParams(new URLSearchParams(canonical))).toEqual(q);
      expect(searchParamsOf(parseSearchParams(new URLSearchParams(canonical))).toString()).toBe(canonical);
    }), { numRuns: 5000 });
  });

  it('defaults: an empty query string is the first page of everything, by relevance', () => {
    expect(parseSearchParams(new URLSearchParams(''))).toEqual({ q: '', groups: [], subgroups: [], stars: [], provinces: [], producer: undefined, priceMin: undefined, priceMax: undefined, sort: 'relevance', page: 1, limit: DEFAULT_LIMIT });
  });

  it('regressions: a query cut at the length limit keeps no trailing space and no half of a surrogate pair', () => {
    const spaced = parseSearchParams(new URLSearchParams({ q: `${'a'.repeat(MAX_QUERY_LENGTH - 1)} b` }));
    expect(spaced.q).toBe('a'.repeat(MAX_QUERY_LENGTH - 1));
    const emoji = parseSearchParams(new URLSearchParams({ q: `${'a'.repeat(MAX_QUERY_LENGTH - 1)}😀` }));
    expect(emoji.q.isWellFormed()).toBe(true);
    expect(parseSearchParams(new URLSearchParams({ q: 'tr\ud800a' })).q).toBe('tr\ufffda');
  });
});
