import { isGroup, isProvince, isSubgroup } from '../catalog/index.ts';
import { SORTS, type SearchQuery, type Sort } from './search.types.ts';

export const MAX_QUERY_LENGTH = 200;
export const DEFAULT_LIMIT = 24;
export const MAX_LIMIT = 100;
/** Pages past this are empty anyway; capping keeps OFFSET bounded. */
export const MAX_PAGE = 10_000;

const list = (value: string | null): string[] =>
  value === null ? [] : [...new Set(value.split(',').map((v) => v.trim()).filter(Boolean))].slice(0, 40);

/**
 * Control characters become spaces; the text is cut at MAX_QUERY_LENGTH code points (never inside a
 * surrogate pair) and trimmed after the cut, so the result parses back to itself.
 */
function cutQuery(raw: string): string {
  return Array.from(raw.replace(/[\u0000-\u001f\u007f]/g, ' ').trim().toWellFormed()).slice(0, MAX_QUERY_LENGTH).join('').trim();
}

function intParam(value: string | null, min: number, max: number): number | undefined {
  if (value === null || !/^\s*\d{1,15}\s*$/.test(value)) return undefined;
  const n = Number(value);
  return n >= min && n <= max ? n : undefined;
}

/**
 * Reads search parameters from a URL. Never throws: an unknown filter value is ignored, a malformed
 * number falls back to its default, a long query is cut, so bad input cannot make a 5xx.
 * Repeated parameters (?group=a&group=b) and comma lists (?group=a,b) both select several values.
 */
export function parseSearchParams(params: URLSearchParams): SearchQuery {
  // Repeated parameters and comma lists together, each value once (?stars=3&stars=3 is one filter).
  const all = (name: string) => [...new Set(params.getAll(name).flatMap((v) => list(v)))];
  const sortParam = params.get('sort') ?? '';
  const page = intParam(params.get('page'), 1, Number.MAX_SAFE_INTEGER) ?? 1;
  const priceMin = intParam(params.get('priceMin'), 0, 1_000_000_000);
  const priceMax = intParam(params.get('priceMax'), 0, 1_000_000_000);
  const producer = params.get('producer')?.trim().toLowerCase();
  return {
    q: cutQuery(params.get('q') ?? ''),
    groups: all('group').filter(isGroup),
    subgroups: all('subgroup').filter(isSubgroup),
    stars: all('stars').filter((s) => /^[1-5]$/.test(s)).map(Number),
    provinces: all('province').filter(isProvince),
    producer: producer && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(producer) ? producer : undefined,
    priceMin,
    priceMax,
    sort: (SORTS as readonly string[]).includes(sortParam) ? (sortParam as Sort) : 'relevance',
    page: Math.min(page, MAX_PAGE + 1),
    limit: intParam(params.get('limit'), 1, MAX_LIMIT) ?? DEFAULT_LIMIT,
  };
}

/** The canonical query string of a search (for links, paging and the URL kept in sync). */
export function searchParamsOf(query: SearchQuery, overrides: Partial<SearchQuery> = {}): URLSearchParams {
  const q = { ...query, ...overrides };
  const out = new URLSearchParams();
  if (q.q) out.set('q', q.q);
  if (q.groups.length) out.set('group', q.groups.join(','));
  if (q.subgroups.length) out.set('subgroup', q.subgroups.join(','));
  if (q.stars.length) out.set('stars', q.stars.join(','));
  if (q.provinces.length) out.set('province', q.provinces.join(','));
  if (q.producer) out.set('producer', q.producer);
  if (q.priceMin !== undefined) out.set('priceMin', String(q.priceMin));
  if (q.priceMax !== undefined) out.set('priceMax', String(q.priceMax));
  if (q.sort !== 'relevance') out.set('sort', q.sort);
  if (q.page > 1) out.set('page', String(q.page));
  if (q.limit !== DEFAULT_LIMIT) out.set('limit', String(q.limit));
  return out;
}
