import { db } from '../db/index.ts';
import { isAppError, type FieldErrors } from '../errors/index.ts';
import type { Locale, Translator } from '../i18n/index.ts';
import { enabledMethods, type PaymentMethod } from '../payments/index.ts';
import { emptyCart, cartItemsForOrder, type CartView } from './cart.service.ts';
import { cartForPage, cartToken, forgetCartCount, type CookieJar } from './cart.http.ts';
import { priceOrder, resolveLines, type Shortage } from './checkout.steps.ts';
import { OrderInputSchema, fieldErrors } from './orders.schemas.ts';
import { createOrder } from './orders.service.ts';
import type { PricedOrder } from './orders.types.ts';
import { findProvince } from '../catalog/index.ts';

/**
 * The checkout form without JavaScript: the first submit shows the exact total with shipping per
 * producer (a quote), the second places the order — only if the total is still the one shown.
 */
export interface CheckoutValues {
  name: string;
  phone: string;
  email: string;
  line: string;
  commune: string;
  province: string;
  note: string;
  payment: string;
  /** 'on' when the order is a gift to someone else. */
  gift: string;
  giftName: string;
  giftPhone: string;
  giftMessage: string;
}

export interface CheckoutState {
  cart: CartView;
  values: CheckoutValues;
  errors: FieldErrors;
  methods: PaymentMethod[];
  quote: PricedOrder | null;
  notice: 'review' | 'totalChanged' | 'cartChanged' | 'outOfStock' | 'paymentUnavailable' | 'rateLimited' | null;
  shortages: Shortage[];
  /** Past an ordering limit (order-limits.ts): the page answers 429 with this message and Retry-After. */
  limited: { message: string; retryAfter: number } | null;
}

export type CheckoutResult = { redirect: string } | CheckoutState;

const FIELDS: Array<keyof CheckoutValues> = ['name', 'phone', 'email', 'line', 'commune', 'province', 'note', 'payment', 'gift', 'giftName', 'giftPhone', 'giftMessage'];
/** Form field → the order input's path, so errors land next to the right field. */
const PATHS: Record<string, keyof CheckoutValues> = {
  'customer.name': 'name', 'customer.phone': 'phone', 'customer.email': 'email', 'customer.address.line': 'line',
  'customer.address.commune': 'commune', 'customer.address.province': 'province', note: 'note', payment: 'payment',
  'gift.recipient.name': 'giftName', 'gift.recipient.phone': 'giftPhone', 'gift.message': 'giftMessage', 'gift.recipient': 'giftName', gift: 'giftName',
};

function formErrors(fields: FieldErrors): FieldErrors {
  const out: FieldErrors = {};
  for (const [path, message] of Object.entries(fields)) out[PATHS[path] ?? 'form'] ??= message;
  return out;
}

async function quoteFor(cart: CartView, province: string, t: Translator): Promise<PricedOrder | null> {
  const code = findProvince(province)?.code;
  if (!code || cart.lines.length === 0 || cart.unavailable) return null;
  try {
    return priceOrder(await resolveLines(await db(), cartItemsForOrder(cart), t), code);
  } catch (err) {
    if (isAppError(err) && (err.kind === 'INVALID_DATA' || err.code === 'orders.not_for_sale')) return null;
    throw err;
  }
}

export async function handleCheckout(request: Request, cookies: CookieJar, ctx: { t: Translator; locale: Locale; origin: string; secure: boolean; network: string | null; limited: boolean; orderPath: (publicId: string) => string }): Promise<CheckoutResult> {
  const { t } = ctx;
  const cart = await cartForPage(cookies, ctx.secure);
  const methods = enabledMethods();
  const values = Object.fromEntries(FIELDS.map((f) => [f, ''])) as unknown as CheckoutValues;
  values.payment = methods.includes('vietqr') ? 'vietqr' : methods[0]!;
  const state: CheckoutState = { cart, values, errors: {}, methods, quote: null, notice: null, shortages: [], limited: null };
  if (request.method !== 'POST') return state;

  const form = await request.formData();
  for (const f of FIELDS) values[f] = String(form.get(f) ?? '').slice(0, 1000);
  const input = {
    items: cartItemsForOrder(cart),
    customer: { name: values.name, phone: values.phone, email: values.email, address: { line: values.line, commune: values.commune, province: values.province } },
    payment: values.payment,
    note: values.note,
    ...(values.gift === 'on' ? { gift: { recipient: { name: values.giftName, phone: values.giftPhone }, message: values.giftMessage } } : {}),
  };
  const parsed = OrderInputSchema.safeParse(input);
  if (!parsed.success) {
    state.errors = formErrors(fieldErrors(parsed.error, t));
    if (state.errors.form && cart.lines.length > 0) delete state.errors.form;
  }
  state.quote = await quoteFor(cart, values.province, t);
  if (cart.changed) state.notice = 'cartChanged';
  if (!parsed.success || !state.quote || cart.unavailable) return state;

  // Place only what the customer saw: the total on the form must still be the total now.
  const shownTotal = Number(form.get('shownTotal'));
  if (form.get('intent') !== 'place' || shownTotal !== state.quote.total) {
    state.notice = form.get('intent') === 'place' ? 'totalChanged' : state.notice ?? 'review';
    return state;
  }
  try {
    const order = await createOrder(parsed.data, { t, locale: ctx.locale, origin: ctx.origin, network: ctx.network, limited: ctx.limited });
    await emptyCart(cartToken(cookies));
    forgetCartCount(cookies, ctx.secure);
    return { redirect: order.payment.url ?? ctx.orderPath(order.publicId) };
  } catch (err) {
    if (isAppError(err) && err.code === 'orders.out_of_stock') {
      state.notice = 'outOfStock';
      state.shortages = (err.details?.shortages as Shortage[] | undefined) ?? [];
      return state;
    }
    if (isAppError(err) && err.code === 'orders.not_for_sale') {
      // Sale stopped between the quote and the order (revocation, suspension, recall): the cart now says which line.
      state.cart = await cartForPage(cookies, ctx.secure);
      state.notice = 'cartChanged';
      state.quote = null;
      return state;
    }
    if (isAppError(err) && err.kind === 'INVALID_DATA' && err.fields) {
      state.errors = formErrors(err.fields);
      return state;
    }
    if (isAppError(err) && err.kind === 'RATE_LIMITED') {
      state.notice = 'rateLimited';
      state.limited = { message: err.message, retryAfter: Number(err.details?.retryAfter ?? 60) };
      return state;
    }
    if (isAppError(err) && err.code === 'payments.unavailable') {
      state.notice = 'paymentUnavailable';
      return state;
    }
    throw err;
  }
}
