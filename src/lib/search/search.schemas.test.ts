import { describe, expect, it } from 'vitest';
import { MAX_QUERY_LENGTH, parseSearchParams, searchParamsOf } from './search.schemas.ts';

const parse = (qs: string) => parseSearchParams(new URLSearchParams(qs));

describe('search parameters', () => {
  it('has safe defaults', () => {
    expect(parse('')).toEqual({ q: '', groups: [], subgroups: [], stars: [], provinces: [], producer: undefined, priceMin: undefined, priceMax: undefined, sort: 'relevance', page: 1, limit: 24 });
  });

  it('reads filters, lists and repeated parameters', () => {
    const q = parse('q=nuoc+mam&group=food,herbal&group=tourism&stars=5&stars=4&province=ha-noi&priceMin=1000&priceMax=200000&sort=price_asc&page=3&limit=10');
    expect(q.groups).toEqual(['food', 'herbal', 'tourism']);
    expect(q.stars).toEqual([5, 4]);
    expect(q).toMatchObject({ q: 'nuoc mam', provinces: ['ha-noi'], priceMin: 1000, priceMax: 200000, sort: 'price_asc', page: 3, limit: 10 });
  });

  it('ignores unknown or malformed values instead of failing', () => {
    const q = parse('group=weapons&stars=9&stars=abc&province=atlantis&priceMin=-5&priceMax=1e9&sort=DROP&page=-1&limit=100000&producer=../../etc');
    expect(q).toMatchObject({ groups: [], stars: [], provinces: [], priceMin: undefined, priceMax: undefined, sort: 'relevance', page: 1, limit: 24, producer: undefined });
  });

  it('cuts long queries and strips control characters', () => {
    expect(parse(`q=${'a'.repeat(5000)}`).q).toHaveLength(MAX_QUERY_LENGTH);
    expect(parse('q=a%00b%0Ac').q).toBe('a b c');
  });

  it('caps absurd page numbers', () => {
    expect(parse('page=99999999999').page).toBeLessThanOrEqual(10_001);
  });

  it('round-trips to a canonical query string', () => {
    const q = parse('sort=stars&group=food&page=2&q=chè');
    expect(searchParamsOf(q).toString()).toBe('q=ch%C3%A8&group=food&sort=stars&page=2');
    expect(searchParamsOf(q, { page: 1 }).get('page')).toBeNull();
  });
});

describe('repeated parameters', () => {
  it('count each value once across repeats and comma lists (found by the property test)', () => {
    expect(parse('stars=3&stars=3').stars).toEqual([3]);
    expect(parse('group=food&group=food,herbal').groups).toEqual(['food', 'herbal']);
    const q = parse('stars=3&stars=3');
    expect(parseSearchParams(searchParamsOf(q))).toEqual(q);
  });
});
