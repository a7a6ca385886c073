import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/index.ts';
import { cartItems, carts } from './orders.table.ts';

/** All cart SQL. Carts live in the database so they survive restarts and work across instances. */
export const CART_DAYS = 30;

export async function touchCart(tx: DbOrTx, id: string): Promise<void> {
  const expiresAt = new Date(Date.now() + CART_DAYS * 86_400_000);
  await tx.insert(carts).values({ id, expiresAt }).onConflictDoUpdate({ target: carts.id, set: { updatedAt: new Date(), expiresAt } });
}

export interface CartItemRow {
  productId: number | null;
  comboId: number | null;
  productSlug: string | null;
  comboSlug: string | null;
  qty: number;
  unitPriceSeen: number;
}

export async function selectCartItems(tx: DbOrTx, id: string): Promise<CartItemRow[]> {
  return (await tx.execute(sql`select ci.product_id as "productId", ci.combo_id as "comboId", p.slug as "productSlug", c.slug as "comboSlug",
      ci.qty, ci.unit_price_seen as "unitPriceSeen"
    from cart_items ci join carts k on k.id = ci.cart_id and k.expires_at > now()
    left join products p on p.id = ci.product_id left join combos c on c.id = ci.combo_id
    where ci.cart_id = ${id} order by ci.added_at, ci.id`)) as unknown as CartItemRow[];
}

/** Adds `qty` to the line (created when missing), capped at `max`. */
export async function addCartItem(tx: DbOrTx, id: string, item: { productId?: number; comboId?: number }, qty: number, priceSeen: number, max: number): Promise<void> {
  const target = item.productId !== undefined ? [cartItems.cartId, cartItems.productId] : [cartItems.cartId, cartItems.comboId];
  await tx.insert(cartItems).values({ cartId: id, productId: item.productId ?? null, comboId: item.comboId ?? null, qty: Math.min(qty, max), unitPriceSeen: priceSeen })
    .onConflictDoUpdate({ target, set: { qty: sql`least(${max}, ${cartItems.qty} + ${qty})`, unitPriceSeen: priceSeen } });
}

function lineWhere(id: string, item: { productId?: number; comboId?: number }) {
  return and(eq(cartItems.cartId, id), item.productId !== undefined ? eq(cartItems.productId, item.productId) : eq(cartItems.comboId, item.comboId!));
}

export async function setCartItemQty(tx: DbOrTx, id: string, item: { productId?: number; comboId?: number }, qty: number): Promise<void> {
  await tx.update(cartItems).set({ qty }).where(lineWhere(id, item));
}

export async function deleteCartItem(tx: DbOrTx, id: string, item: { productId?: number; comboId?: number }): Promise<void> {
  await tx.delete(cartItems).where(lineWhere(id, item));
}

/** Accepts the current prices as seen (after the shopper was told they changed). */
export async function refreshPricesSeen(tx: DbOrTx, id: string): Promise<void> {
  await tx.execute(sql`update cart_items ci set unit_price_seen = coalesce(p.price, c.price)
    from cart_items x left join products p on p.id = x.product_id left join combos c on c.id = x.combo_id
    where ci.id = x.id and ci.cart_id = ${id}`);
}

export async function clearCart(tx: DbOrTx, id: string): Promise<void> {
  await tx.delete(cartItems).where(eq(cartItems.cartId, id));
}

export async function deleteExpiredCarts(tx: DbOrTx): Promise<number> {
  const rows = await tx.delete(carts).where(sql`${carts.expiresAt} <= now()`).returning({ id: carts.id });
  return rows.length;
}
