import { getProduct, isSlug, productNeighbours, STOCK_SHOWN_UP_TO, type ProductCard, type ProductDetail } from '../catalog/index.ts';
import { HeldUnder, pageGeneration } from '../db/generation.ts';
import { freshStock, noteStockRead } from '../db/stock-reads.ts';
import { placesForProduct, type PointOfSaleView } from '../places/index.ts';

/**
 * What the product page (`/products/<slug>`, both languages) shows from the database, kept
 * between renderings under the page generation (issue 18, "uncached render").
 *
 * The page needs three statements (the product with its certificate, lot and sale state; where to
 * buy it; its two neighbour lists), about 1 ms of PostgreSQL time a page, two thirds of it the
 * neighbour lists. None of it changes unless something advances the page generation (migration
 * 0008 and later: products, producers, certificates, lots, points of sale…), except stock, which
 * orders move many times a second during a sale and which does not advance it (migration 0022).
 * So a rendering reads, in one statement shared by every page waiting at that moment
 * (lib/db/stock-reads `freshStock`), the generation and the current stock of the product and of
 * its neighbour cards; when the generation is the one the kept data was read under, that data is
 * used with those stock figures. A change committed before the request arrived is therefore always
 * shown, stock included, exactly as the page cache guarantees (lib/http/page-cache).
 *
 * Kept: at most MAX products, each for at most TTL_MS (certificate states such as "expiring" follow
 * the calendar), only what was read at least SETTLE_MS after its generation was first seen
 * (lib/db/generation `mayKeep`), never a product that does not exist (a stranger's made-up slugs
 * must not fill it). Experience sessions (bookings move their counts) are read on every rendering
 * by the page itself.
 */
export interface ProductPageData {
  product: ProductDetail;
  places: PointOfSaleView[];
  neighbours: { fromProducer: ProductCard[]; related: ProductCard[] };
}

const MAX = 2_000;
const TTL_MS = 60_000;
const held = new HeldUnder<string, ProductPageData>(pageGeneration, MAX, TTL_MS);
const counts = { kept: 0, read: 0 };

/** How often renderings used kept data (`kept`) or read it afresh (`read`), and how many products are kept now. */
export function productPageStats(): { kept: number; read: number; held: number } {
  return { ...counts, held: held.size };
}

/** The slugs whose stock a kept page shows: the product and its neighbours (experiences have none). */
function stockSlugs(data: ProductPageData): string[] {
  const cards = [data.product, ...data.neighbours.fromProducer, ...data.neighbours.related];
  return [...new Set(cards.filter((c) => c.kind !== 'experience').map((c) => c.slug))];
}

/** A kept page with today's stock figures, noted for the page cache as a fresh read would be; null when one is missing. */
function withStock(data: ProductPageData, stock: Map<string, number>): ProductPageData | null {
  const card = <T extends ProductCard>(c: T, blocked: boolean): T | null => {
    if (c.kind === 'experience') return c;
    const now = stock.get(c.slug);
    if (now === undefined) return null;
    noteStockRead(c.slug, now, STOCK_SHOWN_UP_TO);
    return { ...c, available: blocked ? 0 : now };
  };
  const product = card(data.product, data.product.sale.block !== null);
  const fromProducer = data.neighbours.fromProducer.map((c) => card(c, false));
  const related = data.neighbours.related.map((c) => card(c, false));
  if (!product || fromProducer.includes(null) || related.includes(null)) return null;
  return { product, places: data.places, neighbours: { fromProducer: fromProducer as ProductCard[], related: related as ProductCard[] } };
}

/** Everything the product page shows from the database for `slug`, or null when no such product is on sale. */
export async function productPage(slug: string): Promise<ProductPageData | null> {
  if (!isSlug(slug)) return null;
  const startedAt = Date.now();
  const candidate = held.get(slug, pageGeneration.current());
  const fresh = await freshStock(candidate ? stockSlugs(candidate) : []);
  const generation = pageGeneration.current();
  const kept = fresh.ok ? held.get(slug, generation) : undefined;
  const shown = kept && withStock(kept, fresh.stock);
  if (shown) {
    counts.kept++;
    return shown;
  }
  counts.read++;
  // Read afresh (after the generation above: data read now is at least as new as it).
  const product = await getProduct(slug);
  if (!product) return null;
  const [places, neighbours] = await Promise.all([placesForProduct(product.slug), productNeighbours(product)]);
  const data = { product, places, neighbours };
  if (fresh.ok) held.keep(slug, data, generation, startedAt);
  return data;
}
