import { isAppError } from '../errors/index.ts';
import { acceptCartPrices, addToCart, getCart, isCartToken, updateCartLine, type CartView } from './cart.service.ts';
import { CART_DAYS } from './cart.repository.ts';

/**
 * The cart's cookies and form actions, for the pages (no Astro import: any cookie jar with
 * get/set/delete, such as Astro.cookies, will do). The count cookie lets every page's header show
 * the cart size without a database query.
 */
export interface CookieJar {
  get(name: string): { value: string } | undefined;
  set(name: string, value: string, options: Record<string, unknown>): void;
  delete(name: string, options?: Record<string, unknown>): void;
}

export const CART_COOKIE = 'cart';
export const COUNT_COOKIE = 'cart_count';

const options = (secure: boolean) => ({ path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: CART_DAYS * 86_400 });

export function cartToken(cookies: CookieJar): string | undefined {
  const v = cookies.get(CART_COOKIE)?.value;
  return isCartToken(v) ? v : undefined;
}

/** The cart size as last written by this browser (0 without a cart). */
export function cartCountFromCookie(cookies: Pick<CookieJar, 'get'>): number {
  const n = Number(cookies.get(COUNT_COOKIE)?.value ?? 0);
  return Number.isInteger(n) && n > 0 && n < 100_000 ? n : 0;
}

export function rememberCart(cookies: CookieJar, token: string, count: number, secure: boolean): void {
  cookies.set(CART_COOKIE, token, options(secure));
  cookies.set(COUNT_COOKIE, String(count), options(secure));
}

export function forgetCartCount(cookies: CookieJar, secure: boolean): void {
  cookies.set(COUNT_COOKIE, '0', options(secure));
}

export type CartAction = { ok: true; notice: 'added' | 'updated' | 'removed' | 'accepted' } | { ok: false; error: 'notForSale' | 'badQty' | 'badRequest' };

/** Handles the cart forms (add on product and combo pages; update, remove and accept on /cart). */
export async function handleCartForm(form: FormData, cookies: CookieJar, secure: boolean): Promise<CartAction> {
  const intent = String(form.get('intent') ?? '');
  const key = String(form.get('key') ?? '');
  const qtyText = String(form.get('qty') ?? (intent === 'add' ? '1' : ''));
  const qty = /^\d{1,3}$/.test(qtyText.trim()) ? Number(qtyText.trim()) : NaN;
  let token = cartToken(cookies);
  try {
    let notice: 'added' | 'updated' | 'removed' | 'accepted';
    if (intent === 'add') {
      if (!(qty >= 1)) return { ok: false, error: 'badQty' };
      token = await addToCart(token, key, qty);
      notice = 'added';
    } else if (intent === 'update' || intent === 'remove') {
      const n = intent === 'remove' ? 0 : qty;
      if (Number.isNaN(n)) return { ok: false, error: 'badQty' };
      await updateCartLine(token, key, n);
      notice = n === 0 ? 'removed' : 'updated';
    } else if (intent === 'accept') {
      await acceptCartPrices(token);
      notice = 'accepted';
    } else return { ok: false, error: 'badRequest' };
    if (token) rememberCart(cookies, token, (await getCart(token)).count, secure);
    return { ok: true, notice };
  } catch (err) {
    if (isAppError(err) && err.code === 'cart.not_for_sale') return { ok: false, error: 'notForSale' };
    if (isAppError(err) && err.kind === 'INVALID_DATA') return { ok: false, error: err.code === 'cart.bad_qty' ? 'badQty' : 'badRequest' };
    throw err;
  }
}

/** The cart for a page, keeping the header's count cookie in step with it. */
export async function cartForPage(cookies: CookieJar, secure: boolean): Promise<CartView> {
  const token = cartToken(cookies);
  const cart = await getCart(token);
  if (token && cartCountFromCookie(cookies) !== cart.count) rememberCart(cookies, token, cart.count, secure);
  return cart;
}
