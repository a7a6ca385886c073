import { Meilisearch, type MultiSearchResponse } from 'meilisearch';
import { db as getDb, type Db } from '../db/index.ts';
import { todayInVietnam, type Listing } from '../catalog/index.ts';
import { hydrate } from './hydrate.ts';
import { indexSettings, multiSearchQueries, FACETS } from './meilisearch.query.ts';
import { allProductIds, documentsIndexedSince, listedProductIds, meiliDocuments } from './search.repository.ts';
import type { Progress, IndexMirror } from './search.indexer.ts';
import type { SearchBackend, SearchQuery } from './search.types.ts';

export const INDEX_UID = 'products';
const BATCH = 5000;

/**
 * Meilisearch (MEILI_HOST): the same queries, filters and facets as PostgreSQL, for large
 * catalogues and many instances. Meilisearch answers which products and how many; the cards are
 * hydrated from the catalogue (hydrate.ts). The PostgreSQL index stays maintained beside it, so
 * the site falls back to it while Meilisearch is unreachable.
 */
export class MeilisearchBackend implements SearchBackend, IndexMirror {
  readonly name = 'meilisearch' as const;
  readonly client: Meilisearch;

  readonly indexUid: string;

  constructor(host: string, apiKey?: string, indexUid = INDEX_UID) {
    this.indexUid = indexUid;
    this.client = new Meilisearch({ host, apiKey, timeout: 5000 });
  }

  async search(query: SearchQuery): Promise<Listing> {
    const { queries, facetOf } = multiSearchQueries(this.indexUid, query, todayInVietnam());
    const res = (await this.client.multiSearch({ queries })) as MultiSearchResponse<{ id: number }>;
    const facets: Listing['facets'] = { group: {}, stars: {}, province: {} };
    res.results.forEach((r, i) => {
      for (const dim of facetOf[i] ?? []) {
        const dist = r.facetDistribution?.[FACETS[dim]] ?? {};
        facets[dim] = Object.fromEntries(Object.entries(dist).filter(([, n]) => n > 0).sort(([a], [b]) => a.localeCompare(b)));
      }
    });
    const main = res.results[0]!;
    const total = main.totalHits ?? main.estimatedTotalHits ?? 0;
    const hits = await hydrate(await getDb(), main.hits.map((h) => Number(h.id)));
    return { hits, total, page: query.page, limit: query.limit, pages: Math.ceil(total / query.limit), facets };
  }

  /** Outbox path: push the listed documents, delete the others, and wait so a retry follows a failure. */
  async sync(db: Db, listed: number[], removed: number[]): Promise<void> {
    const index = this.client.index(this.indexUid);
    for (let i = 0; i < listed.length; i += BATCH) {
      await index.addDocuments(await meiliDocuments(db, listed.slice(i, i + BATCH)), { primaryKey: 'id' }).waitTask();
    }
    if (removed.length) await index.deleteDocuments(removed).waitTask();
  }

  /** Applies the settings by code (idempotent: Meilisearch skips a no-op update). */
  async applySettings(uid = this.indexUid): Promise<void> {
    await this.client.index(uid).updateSettings(indexSettings()).waitTask();
  }

  async isReachable(): Promise<boolean> {
    return this.client.isHealthy();
  }

  async documentCount(): Promise<number> {
    try {
      return (await this.client.index(this.indexUid).getStats()).numberOfDocuments;
    } catch {
      return 0;
    }
  }

  /**
   * Rebuilds into a fresh index while the live one keeps serving, then swaps them atomically and
   * drops the old one. Documents the outbox rewrote during the build are pushed again after the
   * swap, so no change is lost.
   */
  async rebuild(db: Db, progress: Progress = () => {}): Promise<number> {
    const started = new Date(Date.now() - 1000);
    const build = `${this.indexUid}_build_${Date.now()}`;
    await this.client.createIndex(build, { primaryKey: 'id' }).waitTask();
    try {
      await this.applySettings(build);
      const ids = await allProductIds(db);
      let sent = 0;
      progress(0, ids.length);
      for (let i = 0; i < ids.length; i += BATCH) {
        const docs = await meiliDocuments(db, ids.slice(i, i + BATCH));
        if (docs.length) await this.client.index(build).addDocuments(docs, { primaryKey: 'id' }).waitTask({ timeout: 300_000 });
        sent += docs.length;
        progress(Math.min(i + BATCH, ids.length), ids.length);
      }
      const live = await this.client.getRawIndex(this.indexUid).then(() => true, () => false);
      if (!live) await this.client.createIndex(this.indexUid, { primaryKey: 'id' }).waitTask();
      await this.client.swapIndexes([{ indexes: [this.indexUid, build], rename: false }]).waitTask();
      const changed = await documentsIndexedSince(db, started);
      const listedNow = new Set(await listedProductIds(db));
      const gone = ids.filter((id) => !listedNow.has(id));
      if (changed.length || gone.length) await this.sync(db, changed, gone);
      return sent;
    } finally {
      await this.client.deleteIndexIfExists(build);
    }
  }
}
