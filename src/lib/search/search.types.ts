import type { Listing } from '../catalog/index.ts';

export const SORTS = ['relevance', 'price_asc', 'price_desc', 'stars', 'newest'] as const;
export type Sort = (typeof SORTS)[number];

/** A parsed, validated search request: every field already safe to use. */
export interface SearchQuery {
  q: string;
  groups: string[];
  subgroups: string[];
  stars: number[];
  provinces: string[];
  producer?: string;
  priceMin?: number;
  priceMax?: number;
  sort: Sort;
  page: number;
  limit: number;
}

/** One interface, several backends (PostgreSQL by default; Meilisearch when MEILI_HOST is set). */
export interface SearchBackend {
  readonly name: 'postgres' | 'meilisearch';
  search(query: SearchQuery): Promise<Listing>;
}
