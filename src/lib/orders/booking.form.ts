import { getProduct, type ProductDetail } from '../catalog/index.ts';
import { isAppError, type FieldErrors } from '../errors/index.ts';
import { MAX_PARTY, upcomingSessions, type SessionView } from '../experiences/index.ts';
import type { Locale, Translator } from '../i18n/index.ts';
import { enabledMethods, type PaymentMethod } from '../payments/index.ts';
import { fieldErrors, OrderInputSchema } from './orders.schemas.ts';
import { createOrder } from './orders.service.ts';

/**
 * The booking page of an experience (/book/<slug>): the session and party chosen on the product
 * page, the guest's details and the payment method; placing it is an ordinary order with one
 * line `{ slug, session, qty: party }` (seats taken in the order's transaction). The meeting place
 * is the host's, so the order's address is the host's commune and province.
 */
export interface BookingValues {
  name: string;
  phone: string;
  email: string;
  note: string;
  payment: PaymentMethod;
}

export interface BookingState {
  product: ProductDetail;
  sessions: SessionView[];
  session: SessionView | null;
  party: number;
  values: BookingValues;
  errors: FieldErrors;
  methods: PaymentMethod[];
  /** Seats left when the session filled up meanwhile (409). */
  full: { seatsLeft: number } | null;
  limited: { message: string; retryAfter: number } | null;
}

export type BookingResult = { redirect: string } | { notFound: true } | BookingState;

const PATHS: Record<string, keyof BookingValues | 'session' | 'party'> = {
  'customer.name': 'name', 'customer.phone': 'phone', 'customer.email': 'email', note: 'note', payment: 'payment', 'items.0.session': 'session', 'items.0.qty': 'party',
};

export async function handleBooking(request: Request, slug: string, search: URLSearchParams, ctx: {
  t: Translator; locale: Locale; origin: string; network: string | null; limited: boolean; orderPath: (publicId: string) => string;
}): Promise<BookingResult> {
  const { t } = ctx;
  const product = await getProduct(slug);
  if (!product || product.kind !== 'experience') return { notFound: true };
  const form = request.method === 'POST' ? await request.formData() : null;
  const read = (k: string) => String(form?.get(k) ?? search.get(k) ?? '').slice(0, 1000);
  const sessions = await upcomingSessions(slug);
  const sessionId = Number(read('session'));
  const party = Math.trunc(Number(read('party')) || 1);
  const methods = enabledMethods();
  const values: BookingValues = { name: read('name'), phone: read('phone'), email: read('email'), note: read('note'), payment: (read('payment') || (methods.includes('vietqr') ? 'vietqr' : methods[0]!)) as PaymentMethod };
  const state: BookingState = { product, sessions, session: sessions.find((s) => s.id === sessionId) ?? null, party, values, errors: {}, methods, full: null, limited: null };
  if (!state.session) state.errors.session = t(sessionId ? 'places.book.field.sessionClosed' : 'places.book.field.sessionRequired');
  if (party < 1 || party > MAX_PARTY) state.errors.party = t('places.book.field.party', { max: MAX_PARTY });
  else if (state.session && party > state.session.seatsLeft) state.errors.party = t('places.book.error.seatsLeft', { count: state.session.seatsLeft });
  if (!form) return state;

  const host = product.producerDetail;
  const input = {
    items: [{ slug, session: sessionId, qty: party }],
    customer: { name: values.name, phone: values.phone, email: values.email, address: { line: host.name, commune: host.commune ?? host.province.vi, province: host.province.code } },
    payment: values.payment,
    note: values.note,
  };
  const parsed = OrderInputSchema.safeParse(input);
  if (!parsed.success) Object.assign(state.errors, mapErrors(fieldErrors(parsed.error, t)));
  if (!parsed.success || Object.keys(state.errors).length) return state;
  try {
    const order = await createOrder(parsed.data, { t, locale: ctx.locale, origin: ctx.origin, network: ctx.network, limited: ctx.limited });
    return { redirect: order.payment.url ?? ctx.orderPath(order.publicId) };
  } catch (err) {
    if (isAppError(err) && err.code === 'orders.session_full') {
      const short = (err.details?.sessions as Array<{ available: number }> | undefined)?.[0];
      state.full = { seatsLeft: short?.available ?? 0 };
      return state;
    }
    if (isAppError(err) && err.kind === 'INVALID_DATA' && err.fields) {
      Object.assign(state.errors, mapErrors(err.fields));
      return state;
    }
    if (isAppError(err) && err.kind === 'RATE_LIMITED') {
      state.limited = { message: err.message, retryAfter: Number(err.details?.retryAfter ?? 60) };
      return state;
    }
    throw err;
  }
}

function mapErrors(fields: FieldErrors): FieldErrors {
  const out: FieldErrors = {};
  for (const [path, message] of Object.entries(fields)) out[PATHS[path] ?? 'form'] ??= message;
  return out;
}
