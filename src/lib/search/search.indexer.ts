import { db as getDb, type Db, type DbOrTx } from '../db/index.ts';
import { enqueue, registerOutboxHandler, type OutboxMessage } from '../outbox/index.ts';
import { log } from '../log/index.ts';
import {
  allProductIds, clearDocuments, countDocuments, productIdsOfProducers, refreshDocuments, vacuumDocuments,
} from './search.repository.ts';
import { invalidateVocabulary } from './search.vocabulary.ts';

/**
 * The one path from catalogue changes to the search index. Whoever changes a product, a producer
 * or a certificate calls `notifyCatalogChanged(tx, …)` in the same transaction; the outbox worker
 * (every 250 ms) then rewrites the affected index rows and, when Meilisearch is in use, pushes
 * them there too. A rolled-back change announces nothing; a failed push is retried.
 */
export const SEARCH_TOPIC = 'search.reindex';

export interface CatalogChange {
  productIds?: number[];
  producerIds?: number[];
}

export async function notifyCatalogChanged(tx: DbOrTx, change: CatalogChange): Promise<void> {
  const productIds = [...new Set(change.productIds ?? [])];
  const producerIds = [...new Set(change.producerIds ?? [])];
  if (productIds.length === 0 && producerIds.length === 0) return;
  await enqueue(tx, SEARCH_TOPIC, { productIds, producerIds });
}

/** Something that mirrors the index elsewhere (Meilisearch): told which products are listed now. */
export interface IndexMirror {
  sync(db: Db, listed: number[], removed: number[]): Promise<void>;
}

const KEY = Symbol.for('cho-ocop.search.mirror');
const holder = globalThis as { [KEY]?: IndexMirror | null };

export function setIndexMirror(mirror: IndexMirror | null): void {
  holder[KEY] = mirror;
}

/** Rewrites the index rows of these products (in one transaction) and mirrors them. */
export async function reindexProducts(db: Db, change: CatalogChange): Promise<{ listed: number[]; removed: number[] }> {
  const result = await db.transaction(async (tx) => {
    const ids = [...new Set([...(change.productIds ?? []), ...(await productIdsOfProducers(tx, change.producerIds ?? []))])];
    const listed = await refreshDocuments(tx, ids);
    const shown = new Set(listed);
    return { listed, removed: ids.filter((id) => !shown.has(id)) };
  });
  invalidateVocabulary();
  await holder[KEY]?.sync(db, result.listed, result.removed);
  return result;
}

async function handle(messages: OutboxMessage[]): Promise<void> {
  const change = { productIds: [] as number[], producerIds: [] as number[] };
  for (const m of messages) {
    const p = m.payload as CatalogChange;
    change.productIds.push(...(p.productIds ?? []).map(Number).filter(Number.isInteger));
    change.producerIds.push(...(p.producerIds ?? []).map(Number).filter(Number.isInteger));
  }
  await reindexProducts(await getDb(), change);
}

export function registerSearchIndexing(): void {
  registerOutboxHandler(SEARCH_TOPIC, handle);
}

export type Progress = (done: number, total: number) => void;

/**
 * Rebuilds the PostgreSQL index from the catalogue in ONE transaction: readers keep seeing the old
 * rows until it commits, then see the new ones at once (build, then swap), so it is safe while
 * the site serves. Concurrent outbox updates wait for it on their row locks and apply after.
 */
export async function rebuildPostgresIndex(db: Db, progress: Progress = () => {}, batch = 2000): Promise<number> {
  let listed = 0;
  await db.transaction(async (tx) => {
    const ids = await allProductIds(tx);
    await clearDocuments(tx);
    progress(0, ids.length);
    for (let i = 0; i < ids.length; i += batch) {
      listed += (await refreshDocuments(tx, ids.slice(i, i + batch))).length;
      progress(Math.min(i + batch, ids.length), ids.length);
    }
  });
  invalidateVocabulary();
  await vacuumDocuments(db);
  return listed;
}

/** At start-up: an empty index over a non-empty catalogue (new install, first migration) is built. */
export async function ensurePostgresIndex(db: Db): Promise<void> {
  if ((await countDocuments(db)) > 0) return;
  const listed = await rebuildPostgresIndex(db);
  if (listed > 0) log.info(`search index built: ${listed} products`);
}
