import { enqueue } from '../outbox/index.ts';
import type { DbOrTx } from '../db/index.ts';

/**
 * THE one place where back-office changes announce themselves to the search index (and any
 * other catalogue consumer), in the same transaction as the change. Public pages read the
 * database directly, so they see a change at once; search picks it up from the outbox.
 * Merge note: when the search area exposes its notify function, rewire it here only.
 */
export const CATALOG_CHANGED = 'catalog.changed';

export async function announceCatalogChange(tx: DbOrTx, productIds: Iterable<number>): Promise<void> {
  const ids = [...new Set([...productIds].map(Number))].sort((a, b) => a - b);
  if (ids.length === 0) return;
  await enqueue(tx, CATALOG_CHANGED, { productIds: ids });
}
