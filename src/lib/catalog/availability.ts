/**
 * How precisely public pages tell stock apart (issue 18).
 *
 * A shop shows "in stock", "only 3 left" or "sold out", as Shopify's Dawn and Tiki do, not the
 * exact count of a well-stocked product; and one "add to cart" takes at most MAX_PER_ADD units
 * (the cart reconciles anything beyond what is left). So a page, a card or a search hit changes
 * only when a product's stock moves at or below STOCK_SHOWN_UP_TO — which is what lets a cached
 * page survive the stock moves of a sale (lib/db/stock-reads, lib/http/page-cache). The exact
 * figure is in `GET /api/products/<slug>` and the back office.
 */

/** At or below this many units a page says how many are left. */
export const LOW_STOCK = 5;
/** The most units one "add to cart" takes (the quantity field's maximum). */
export const MAX_PER_ADD = 20;
/** Pages and search hits tell stock figures apart up to this one; above it, every figure looks the same. */
export const STOCK_SHOWN_UP_TO = MAX_PER_ADD;

/** The stock figure as cards and search hits give it: exact up to STOCK_SHOWN_UP_TO, else STOCK_SHOWN_UP_TO. */
export function shownStock(stock: number): number {
  return Math.min(stock, STOCK_SHOWN_UP_TO);
}
