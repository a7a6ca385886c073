// Catalogue search: one interface, a backend chosen from configuration.
import type { Listing } from '../catalog/index.ts';
import { config } from '../config/index.ts';
import { log } from '../log/index.ts';
import { MeilisearchBackend } from './meilisearch.backend.ts';
import { PostgresSearchBackend } from './postgres.backend.ts';
import { ensurePostgresIndex, setIndexMirror } from './search.indexer.ts';
import type { Db } from '../db/index.ts';
import type { SearchBackend, SearchQuery } from './search.types.ts';

export * from './search.types.ts';
export { parseSearchParams, searchParamsOf, MAX_QUERY_LENGTH, DEFAULT_LIMIT, MAX_LIMIT } from './search.schemas.ts';
export {
  notifyCatalogChanged, registerSearchIndexing, reindexProducts, rebuildPostgresIndex, ensurePostgresIndex,
  SEARCH_TOPIC, type CatalogChange, type Progress,
} from './search.indexer.ts';
export { PostgresSearchBackend } from './postgres.backend.ts';
export { MeilisearchBackend } from './meilisearch.backend.ts';

/** After a Meilisearch failure, PostgreSQL serves for this long before Meilisearch is tried again. */
const FALLBACK_MS = 30_000;

const KEY = Symbol.for('cho-ocop.search.backends');
/** `ready`: Meilisearch answered and holds the catalogue; until then (and after a failure) PostgreSQL serves. */
type State = { pg: PostgresSearchBackend; meili: MeilisearchBackend | null; ready: boolean; failedAt: number; host?: string; retry?: () => void };
const holder = globalThis as { [KEY]?: State };

function state(): State {
  const host = config().MEILI_HOST;
  if (!holder[KEY] || holder[KEY].host !== host) {
    const meili = host ? new MeilisearchBackend(host, config().MEILI_API_KEY) : null;
    holder[KEY] = { pg: new PostgresSearchBackend(), meili, ready: false, failedAt: 0, host };
    setIndexMirror(meili);
  }
  return holder[KEY];
}

/** The Meilisearch backend when MEILI_HOST is set (whether or not it answers right now). */
export function meilisearchBackend(): MeilisearchBackend | null {
  return state().meili;
}

/** The backend serving now: Meilisearch when configured and not failing, else PostgreSQL. */
export function searchBackend(): SearchBackend {
  const s = state();
  if (s.meili && !s.ready && s.retry && Date.now() - s.failedAt > FALLBACK_MS) {
    s.failedAt = Date.now();
    s.retry();
  }
  return s.meili && s.ready && Date.now() - s.failedAt > FALLBACK_MS ? s.meili : s.pg;
}

export function searchBackendName(): SearchBackend['name'] {
  return searchBackend().name;
}

export async function searchProducts(query: SearchQuery): Promise<Listing> {
  const s = state();
  const backend = searchBackend();
  if (backend === s.pg) return s.pg.search(query);
  try {
    return await backend.search(query);
  } catch (err) {
    // The PostgreSQL index is always maintained too, so the answer is the same, just not from Meilisearch.
    s.failedAt = Date.now();
    log.warn('meilisearch failed; PostgreSQL serves search for a while', { error: err instanceof Error ? err.message : String(err) });
    return s.pg.search(query);
  }
}

/**
 * Start-up: build the PostgreSQL index if it is empty; with Meilisearch, apply its settings and
 * fill an empty index (in the background: the site serves from PostgreSQL meanwhile). A web
 * worker of several serving processes (`fill: false`) leaves both to the primary process, which
 * did them already or is filling Meilisearch: it only waits until Meilisearch holds the catalogue.
 */
export async function prepareSearch(db: Db, opts: { fill?: boolean } = {}): Promise<void> {
  const fill = opts.fill ?? true;
  if (fill) await ensurePostgresIndex(db);
  const s = state();
  if (!s.meili) return;
  const meili = s.meili;
  s.retry = () => void (async () => {
    if (!(await meili.isReachable())) throw new Error(`nothing answers at ${config().MEILI_HOST}`);
    if (fill) {
      await meili.applySettings();
      if ((await meili.documentCount()) === 0) await meili.rebuild(db);
    } else if ((await meili.documentCount()) === 0) {
      throw new Error('its index is still being filled by the primary process');
    }
    s.ready = true;
  })().catch((err) => {
    s.failedAt = Date.now();
    log.warn('meilisearch not ready; PostgreSQL serves search', { error: err instanceof Error ? err.message : String(err) });
  });
  s.retry();
}
