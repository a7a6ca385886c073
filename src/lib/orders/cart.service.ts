import crypto from 'node:crypto';
import { db, type DbOrTx } from '../db/index.ts';
import { AppError } from '../errors/index.ts';
import type { ProductImage, SaleBlock } from '../catalog/index.ts';
import { addCartItem, clearCart, deleteCartItem, deleteExpiredCarts, refreshPricesSeen, selectCartItems, setCartItemQty, touchCart } from './cart.repository.ts';
import { selectCombosForSale, selectProductsForSale } from './orders.repository.ts';
import { MAX_QTY, type OrderItemInput } from './orders.schemas.ts';

/**
 * The anonymous cart. The cookie holds a random token; the database keys the cart by the token's
 * SHA-256, so a leaked database does not give away live cart cookies.
 */
export const newCartToken = () => crypto.randomBytes(24).toString('base64url');
export const cartIdOf = (token: string) => crypto.createHash('sha256').update(token).digest('hex');
const TOKEN = /^[A-Za-z0-9_-]{32}$/;
export const isCartToken = (v: string | undefined): v is string => typeof v === 'string' && TOKEN.test(v);

export type LineKey = `p:${string}` | `c:${string}`;

export interface CartLine {
  key: LineKey;
  kind: 'product' | 'combo';
  slug: string;
  name: { vi: string; en: string };
  image: ProductImage | null;
  producers: string[];
  unitPrice: number;
  /** The price when it was added; differs from unitPrice when it changed since. */
  priceSeen: number;
  qty: number;
  /** Units (or boxes) that can be sold now; null when the line can no longer be bought at all. */
  available: number | null;
  /** Why the line cannot be bought now (sale stopped: revoked, suspended, recalled…), else null. */
  block: SaleBlock | 'unlisted' | null;
  lineTotal: number;
}

export interface CartView {
  lines: CartLine[];
  count: number;
  subtotal: number;
  /** Something changed since the shopper added it: price, stock, or the item is gone. */
  changed: boolean;
  unavailable: boolean;
}

const EMPTY: CartView = { lines: [], count: 0, subtotal: 0, changed: false, unavailable: false };

export async function loadCart(tx: DbOrTx, token: string | undefined): Promise<CartView> {
  if (!isCartToken(token)) return EMPTY;
  const rows = await selectCartItems(tx, cartIdOf(token));
  if (rows.length === 0) return EMPTY;
  const [products, combos] = await Promise.all([
    selectProductsForSale(tx, rows.flatMap((r) => (r.productSlug ? [r.productSlug] : []))),
    selectCombosForSale(tx, rows.flatMap((r) => (r.comboSlug ? [r.comboSlug] : []))),
  ]);
  const lines: CartLine[] = [];
  for (const r of rows) {
    if (r.productSlug) {
      const p = products.find((x) => x.slug === r.productSlug);
      const block = !p || p.kind !== 'goods' ? 'unlisted' : p.block;
      const available = p && !block ? p.stock : null;
      lines.push({ key: `p:${r.productSlug}`, kind: 'product', slug: r.productSlug, name: p ? { vi: p.nameVi, en: p.nameEn } : { vi: r.productSlug, en: r.productSlug }, image: p?.image ?? null, producers: p ? [p.producerName] : [], unitPrice: p?.price ?? r.unitPriceSeen, priceSeen: r.unitPriceSeen, qty: r.qty, available, block, lineTotal: (p?.price ?? r.unitPriceSeen) * r.qty });
    } else if (r.comboSlug) {
      const c = combos.find((x) => x.slug === r.comboSlug);
      const block = !c || c.components.length === 0 || !c.assembler ? 'unlisted' : c.components.find((x) => x.product.block)?.product.block ?? null;
      const available = c && !block ? Math.min(...c.components.map((x) => Math.floor(x.product.stock / x.qty))) : null;
      lines.push({ key: `c:${r.comboSlug}`, kind: 'combo', slug: r.comboSlug, name: c ? { vi: c.nameVi, en: c.nameEn } : { vi: r.comboSlug, en: r.comboSlug }, image: c?.image ?? null, producers: c ? [...new Set(c.components.map((x) => x.product.producerName))] : [], unitPrice: c?.price ?? r.unitPriceSeen, priceSeen: r.unitPriceSeen, qty: r.qty, available, block, lineTotal: (c?.price ?? r.unitPriceSeen) * r.qty });
    }
  }
  return {
    lines,
    count: lines.reduce((n, l) => n + l.qty, 0),
    subtotal: lines.reduce((n, l) => n + (l.available === null ? 0 : l.lineTotal), 0),
    changed: lines.some((l) => l.unitPrice !== l.priceSeen || l.available === null || l.available < l.qty),
    unavailable: lines.some((l) => l.available === null || l.available < l.qty),
  };
}

export async function getCart(token: string | undefined): Promise<CartView> {
  return loadCart(await db(), token);
}

function parseKey(key: string): { kind: 'product' | 'combo'; slug: string } | null {
  const m = /^([pc]):([a-z0-9]+(?:-[a-z0-9]+)*)$/.exec(key);
  return m ? { kind: m[1] === 'p' ? 'product' : 'combo', slug: m[2]! } : null;
}

async function resolveKey(tx: DbOrTx, key: string) {
  const parsed = parseKey(key);
  if (!parsed) return null;
  if (parsed.kind === 'product') {
    const [p] = await selectProductsForSale(tx, [parsed.slug]);
    return p && p.kind === 'goods' && !p.block ? { ref: { productId: p.id }, price: p.price } : null;
  }
  const [c] = await selectCombosForSale(tx, [parsed.slug]);
  return c && c.assembler && c.components.length > 0 && c.components.every((x) => !x.product.block) ? { ref: { comboId: c.id }, price: c.price } : null;
}

/** Adds to the cart, creating it when the shopper has none yet; returns the (maybe new) token. */
export async function addToCart(token: string | undefined, key: string, qty: number): Promise<string> {
  if (!Number.isInteger(qty) || qty < 1 || qty > MAX_QTY) throw new AppError('INVALID_DATA', 'cart.bad_qty', 'Quantity out of range');
  const t = isCartToken(token) ? token : newCartToken();
  const d = await db();
  await d.transaction(async (tx) => {
    const found = await resolveKey(tx, key);
    if (!found) throw new AppError('NOT_FOUND', 'cart.not_for_sale', 'This item is not for sale');
    const id = cartIdOf(t);
    await touchCart(tx, id);
    await addCartItem(tx, id, found.ref, qty, found.price, MAX_QTY);
  });
  return t;
}

/** Sets a line's quantity; 0 removes it. Lines of items no longer on sale can still be removed. */
export async function updateCartLine(token: string | undefined, key: string, qty: number): Promise<void> {
  if (!isCartToken(token)) return;
  if (!Number.isInteger(qty) || qty < 0 || qty > MAX_QTY) throw new AppError('INVALID_DATA', 'cart.bad_qty', 'Quantity out of range');
  const parsed = parseKey(key);
  if (!parsed) throw new AppError('INVALID_DATA', 'cart.bad_line', 'Unknown cart line');
  const d = await db();
  await d.transaction(async (tx) => {
    const id = cartIdOf(token);
    const rows = await selectCartItems(tx, id);
    const row = rows.find((r) => (parsed.kind === 'product' ? r.productSlug : r.comboSlug) === parsed.slug);
    if (!row) return;
    const ref = row.productId !== null ? { productId: row.productId } : { comboId: row.comboId! };
    if (qty === 0) await deleteCartItem(tx, id, ref);
    else await setCartItemQty(tx, id, ref, qty);
    await touchCart(tx, id);
  });
}

export async function acceptCartPrices(token: string | undefined): Promise<void> {
  if (isCartToken(token)) await refreshPricesSeen(await db(), cartIdOf(token));
}

export async function emptyCart(token: string | undefined): Promise<void> {
  if (isCartToken(token)) await clearCart(await db(), cartIdOf(token));
}

export function cartItemsForOrder(cart: CartView): OrderItemInput[] {
  return cart.lines.map((l) => (l.kind === 'product' ? { slug: l.slug, qty: l.qty } : { combo: l.slug, qty: l.qty }));
}

/** Forgets carts nobody touched for CART_DAYS (run by the sweeper). */
export async function sweepCarts(): Promise<number> {
  return deleteExpiredCarts(await db());
}
