import type { MultiSearchQuery, Settings } from 'meilisearch';
import { MAX_PAGE } from './search.schemas.ts';
import { meiliSynonyms } from './search.text.ts';
import type { SearchQuery } from './search.types.ts';

/**
 * Pure builders for the Meilisearch backend (unit-tested without a server): index settings, the
 * filter expression, and the multi-search that gives hits plus disjunctive facet counts.
 */
export const FACETS = { group: 'groupCode', stars: 'stars', province: 'provinceCode' } as const;
type Dimension = keyof typeof FACETS;

/**
 * Searchable attributes in rank order: name > producer > group/sub-group > province > story.
 * Each text also exists folded (no diacritics, đ → d) so "nuoc mam" finds "Nước mắm" whatever the
 * engine's own normalisation of Vietnamese, while the accented field, listed first, lets an
 * accented exact match rank above it (attribute rule).
 */
export function indexSettings(): Settings {
  return {
    searchableAttributes: [
      'name', 'nameEn', 'nameFolded',
      'producer', 'producerFolded',
      'groupVi', 'groupEn', 'groupFolded',
      'provinceVi', 'provinceEn', 'provinceFolded',
      'storyVi', 'storyEn', 'storyFolded',
    ],
    displayedAttributes: ['id', 'slug'],
    filterableAttributes: ['groupCode', 'subgroupCode', 'stars', 'badgeUntil', 'provinceCode', 'producerSlug', 'price', 'certified'],
    sortableAttributes: ['price', 'stars', 'publishedAt', 'featured', 'id'],
    // "sort" first: a chosen sort orders the whole result (as the PostgreSQL backend does);
    // with relevance no sort is sent and the rule is a no-op.
    rankingRules: ['sort', 'words', 'typo', 'proximity', 'attribute', 'exactness'],
    // Same budget as the PostgreSQL backend (search.text.ts typoBudget): 1 typo from 4 letters, 2 from 8.
    typoTolerance: { enabled: true, minWordSizeForTypos: { oneTypo: 4, twoTypos: 8 }, disableOnNumbers: true },
    synonyms: meiliSynonyms(),
    faceting: { maxValuesPerFacet: 100 },
    // Exact totals for paging (the default stops counting at 1,000).
    pagination: { maxTotalHits: 1_000_000 },
  };
}

const quote = (v: string | number) => (typeof v === 'number' ? String(v) : JSON.stringify(v));
const inList = (attr: string, values: Array<string | number>) => `${attr} IN [${values.map(quote).join(', ')}]`;

/** YYYYMMDD as a number (how badge dates are stored in the index, so they compare numerically). */
export const dayNumber = (isoDate: string) => Number(isoDate.replaceAll('-', ''));

/**
 * Filter clauses of a query, keyed by facet dimension (so each facet can drop its own), plus the
 * clauses that always apply. Stars are badge stars: the certificate must still be in force today.
 */
export function filterClauses(query: SearchQuery, today: string): { always: string[]; dims: Record<Dimension, string | null> } {
  const always: string[] = [];
  if (query.subgroups.length) always.push(inList('subgroupCode', query.subgroups));
  if (query.producer) always.push(`producerSlug = ${quote(query.producer)}`);
  if (query.priceMin !== undefined) always.push(`price >= ${query.priceMin}`);
  if (query.priceMax !== undefined) always.push(`price <= ${query.priceMax}`);
  return {
    always,
    dims: {
      group: query.groups.length ? inList('groupCode', query.groups) : null,
      stars: query.stars.length ? `${inList('stars', query.stars)} AND badgeUntil >= ${dayNumber(today)}` : null,
      province: query.provinces.length ? inList('provinceCode', query.provinces) : null,
    },
  };
}

const SORTS: Record<SearchQuery['sort'], string[] | undefined> = {
  relevance: undefined,
  price_asc: ['price:asc', 'id:asc'],
  price_desc: ['price:desc', 'id:asc'],
  stars: ['stars:desc', 'price:asc', 'id:asc'],
  newest: ['publishedAt:desc', 'id:desc'],
};

/**
 * One multi-search: [0] the page of hits with every filter and the facets of unfiltered dimensions;
 * then one query per filtered dimension (its own filter dropped) for its disjunctive counts; and
 * always one for stars restricted to badges still in force today (a badge can lapse between two
 * indexings, the count must not).
 */
export function multiSearchQueries(indexUid: string, query: SearchQuery, today: string): { queries: MultiSearchQuery[]; facetOf: Array<Dimension[]> } {
  const { always, dims } = filterClauses(query, today);
  const filterWithout = (except?: Dimension) => [
    ...always,
    ...(Object.entries(dims) as Array<[Dimension, string | null]>).flatMap(([k, v]) => (v && k !== except ? [v] : [])),
  ];
  const base = { indexUid, q: query.q || null, matchingStrategy: 'all' as const };
  const page = Math.min(query.page, MAX_PAGE + 1);
  const unfiltered = (['group', 'province'] as Dimension[]).filter((d) => !dims[d]);
  const queries: MultiSearchQuery[] = [{
    ...base,
    filter: filterWithout(),
    sort: SORTS[query.sort],
    page,
    hitsPerPage: query.limit,
    attributesToRetrieve: ['id'],
    facets: unfiltered.map((d) => FACETS[d]),
  }];
  const facetOf: Array<Dimension[]> = [unfiltered];
  for (const d of ['group', 'province'] as Dimension[]) {
    if (!dims[d]) continue;
    queries.push({ ...base, filter: filterWithout(d), limit: 0, facets: [FACETS[d]] });
    facetOf.push([d]);
  }
  queries.push({ ...base, filter: [...filterWithout('stars'), `badgeUntil >= ${dayNumber(today)}`], limit: 0, facets: ['stars'] });
  facetOf.push(['stars']);
  return { queries, facetOf };
}
