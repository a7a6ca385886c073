import { AsyncLocalStorage } from 'node:async_hooks';
import { pageGeneration } from './generation.ts';
import { database } from './index.ts';
import { sharedRead } from './shared-read.ts';

/**
 * The stock a rendering read, product by product (issue 18).
 *
 * A stock move (an order, a cancellation, an expired hold) no longer advances the page-cache
 * generation (migration 0022_stock_scoped_pages): a product's page does not depend on another
 * product's stock. Instead, while a page the cache may keep is rendered, every stock figure the
 * catalogue hands out is noted here (`noteStockRead`, called where a product row becomes a card
 * or a page); the cache keeps those figures with the page and answers it again only while the
 * database still holds figures the page cannot tell apart from them (lib/http/page-cache).
 *
 * "Cannot tell apart": a page shows stock only up to some figure (lib/catalog/availability:
 * "only 3 left", a quantity field of at most 20, a gift box's count of boxes), so each read is
 * noted with the figure up to which it matters (`upTo`); above it, every figure is the same for
 * that page. Noting happens where rows are mapped, not where figures are displayed, so a page also
 * depends on stock it read but did not show (the home page orders gift boxes by whether they can
 * be bought). A product read twice in one rendering with figures the page could tell apart makes
 * the page unkeepable.
 *
 * The storage lives on globalThis: the start script and the built Astro server load their own
 * copies of this module and must share one.
 */
export interface StockRead {
  stock: number;
  /** Figures above this one are all the same to the page. */
  upTo: number;
}

export interface StockReads {
  /** slug → what the rendering read. */
  readonly values: Map<string, StockRead>;
  /** The same product was read with two figures the page could tell apart. */
  conflict: boolean;
}

const KEY = Symbol.for('cho-ocop.stock-reads');
const storage = ((globalThis as Record<symbol, unknown>)[KEY] ??= new AsyncLocalStorage<StockReads>()) as AsyncLocalStorage<StockReads>;

/** A stock figure as a page that tells figures apart up to `upTo` sees it. */
export function stockAsSeen(stock: number, upTo: number): number {
  return Math.min(stock, upTo + 1);
}

/** Runs `fn` noting every stock figure read inside it (through awaits) into a fresh record. */
export function withStockReads<T>(fn: (reads: StockReads) => T): T {
  const reads: StockReads = { values: new Map(), conflict: false };
  return storage.run(reads, () => fn(reads));
}

/** Notes that the current rendering (if any) read `stock` for the product `slug`, mattering up to `upTo`. */
export function noteStockRead(slug: string, stock: number, upTo: number): void {
  const reads = storage.getStore();
  if (!reads) return;
  const before = reads.values.get(slug);
  if (!before) {
    reads.values.set(slug, { stock, upTo });
    return;
  }
  const finer = Math.max(before.upTo, upTo);
  if (stockAsSeen(before.stock, finer) !== stockAsSeen(stock, finer)) reads.conflict = true;
  reads.values.set(slug, { stock, upTo: finer });
}

// ---- the shared freshness read ------------------------------------------------------------------

/** What one freshness read found: the database answered (`ok`), and the stock of the products asked for. */
export interface Freshness {
  ok: boolean;
  /** slug → stock now; a slug missing here is no product. */
  stock: Map<string, number>;
}

/**
 * Reads the page generation (observing it, which drops whatever was kept under an older one) and
 * the current stock of `slugs`, in one statement shared by every caller waiting at that moment.
 * A caller only joins a read that starts after it called, so a change committed before the call
 * is always seen. `ok` is false when the database could not be asked (the generation is then
 * forgotten: nothing kept may be trusted).
 *
 * The page cache (lib/http/page-cache) checks a kept page with it, and the product page's data
 * kept between renderings (lib/storefront/product-page) is checked the same way.
 */
export function freshStock(slugs: Iterable<string>): Promise<Freshness> {
  return readFresh(slugs);
}

const readFresh = sharedRead<Iterable<string>, Freshness>('stock-reads.fresh', async (requests) => {
  const wanted = new Set<string>();
  for (const slugs of requests) for (const slug of slugs) wanted.add(slug);
  const stock = new Map<string, number>();
  try {
    const { sql } = await database();
    const slugs = [...wanted];
    const [row] = await sql<Array<{ g: string; s: Record<string, number> | null }>>`
      select ${sql.unsafe(pageGeneration.sql)} as g,
        ${slugs.length ? sql`(select json_object_agg(slug, stock) from products where slug = any(${sql.array(slugs)}))` : sql`null::json`} as s`;
    pageGeneration.observe(row!.g);
    for (const [slug, value] of Object.entries(row!.s ?? {})) stock.set(slug, Number(value));
    return { ok: true, stock };
  } catch {
    pageGeneration.forget();
    return { ok: false, stock };
  }
});
