// Catalogue search: one interface, a backend chosen from configuration.
import type { Listing } from '../catalog/index.ts';
import { PostgresSearchBackend } from './postgres.backend.ts';
import type { SearchBackend, SearchQuery } from './search.types.ts';

export * from './search.types.ts';
export { parseSearchParams, searchParamsOf, MAX_QUERY_LENGTH, DEFAULT_LIMIT, MAX_LIMIT } from './search.schemas.ts';

let backend: SearchBackend | undefined;

/** The active backend. Meilisearch arrives with the search issue; until then PostgreSQL serves. */
export function searchBackend(): SearchBackend {
  backend ??= new PostgresSearchBackend();
  return backend;
}

export function searchBackendName(): SearchBackend['name'] {
  return searchBackend().name;
}

export function searchProducts(query: SearchQuery): Promise<Listing> {
  return searchBackend().search(query);
}
