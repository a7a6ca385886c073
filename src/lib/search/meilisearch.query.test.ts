import { describe, expect, it } from 'vitest';
import { parseSearchParams } from './search.schemas.ts';
import { dayNumber, filterClauses, indexSettings, multiSearchQueries } from './meilisearch.query.ts';

const parse = (qs: string) => parseSearchParams(new URLSearchParams(qs));
const today = '2026-11-27';

describe('Meilisearch query building', () => {
  it('ranks name > producer > group > province > story and allows typos as the PostgreSQL backend does', () => {
    const s = indexSettings();
    const order = s.searchableAttributes!;
    expect(order.indexOf('name')).toBeLessThan(order.indexOf('producer'));
    expect(order.indexOf('producerFolded')).toBeLessThan(order.indexOf('groupVi'));
    expect(order.indexOf('groupFolded')).toBeLessThan(order.indexOf('provinceVi'));
    expect(order.indexOf('provinceFolded')).toBeLessThan(order.indexOf('storyVi'));
    expect(s.filterableAttributes).toEqual(expect.arrayContaining(['groupCode', 'subgroupCode', 'stars', 'provinceCode', 'producerSlug', 'price', 'certified']));
    expect(s.sortableAttributes).toEqual(expect.arrayContaining(['price', 'stars', 'publishedAt']));
    expect(s.typoTolerance).toMatchObject({ enabled: true, minWordSizeForTypos: { oneTypo: 4, twoTypos: 8 } });
    expect(s.synonyms!['cà phê']).toEqual(expect.arrayContaining(['cafe', 'coffee', 'ca phe']));
    expect(s.rankingRules![0]).toBe('sort');
  });

  it('builds quoted filters, stars only for badges still in force', () => {
    const { always, dims } = filterClauses(parse('group=food,beverages&stars=4,5&province=ha-noi&priceMin=1000&priceMax=50000&producer=htx-a&subgroup=tea'), today);
    expect(always).toEqual(['subgroupCode IN ["tea"]', 'producerSlug = "htx-a"', 'price >= 1000', 'price <= 50000']);
    expect(dims).toEqual({
      group: 'groupCode IN ["food", "beverages"]',
      stars: 'stars IN [4, 5] AND badgeUntil >= 20261127',
      province: 'provinceCode IN ["ha-noi"]',
    });
    expect(dayNumber('2027-01-05')).toBe(20270105);
  });

  it('asks for disjunctive facets: each filtered dimension counted without its own filter', () => {
    const { queries, facetOf } = multiSearchQueries('products', parse('q=trà&group=beverages&sort=price_asc&page=2&limit=10'), today);
    expect(queries[0]).toMatchObject({ indexUid: 'products', q: 'trà', matchingStrategy: 'all', filter: ['groupCode IN ["beverages"]'], sort: ['price:asc', 'id:asc'], page: 2, hitsPerPage: 10, facets: ['provinceCode'] });
    expect(queries[1]).toMatchObject({ filter: [], limit: 0, facets: ['groupCode'] });
    expect(queries[2]).toMatchObject({ filter: ['groupCode IN ["beverages"]', 'badgeUntil >= 20261127'], facets: ['stars'] });
    expect(facetOf).toEqual([['province'], ['group'], ['stars']]);
  });

  it('sends no sort for relevance and no query text for an empty search', () => {
    const { queries } = multiSearchQueries('products', parse(''), today);
    expect(queries[0]!.sort).toBeUndefined();
    expect(queries[0]!.q).toBeNull();
    expect(queries).toHaveLength(2);
  });
});
