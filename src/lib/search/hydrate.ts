import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/index.ts';
import { selectCards, toCard, SELLABLE, type ProductCard } from '../catalog/index.ts';

/**
 * Product cards for the ids a backend found, in its order. Cards come from the catalogue itself,
 * so price, stock and the certificate's state (badge or not) are those of this instant; a product
 * that stopped being listable since it was indexed (the outbox catches up within 2 s) is dropped.
 */
export async function hydrate(db: DbOrTx, ids: number[]): Promise<ProductCard[]> {
  if (ids.length === 0) return [];
  const list = sql.join(ids.map((id) => sql`${id}`), sql`, `);
  const rows = await selectCards(db, sql`${SELLABLE} and p.id in (${list})`, sql`p.id`, ids.length);
  const byId = new Map(rows.map((r) => [Number(r.id), r]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    return row ? [toCard(row)] : [];
  });
}
