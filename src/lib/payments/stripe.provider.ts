import Stripe from 'stripe';
import { config } from '../config/index.ts';
import { AppError } from '../errors/index.ts';
import type { PaymentNotice, PaymentProvider } from './payments.types.ts';

/**
 * Card payments through Stripe Checkout, run by the platform operator (Stripe does not onboard
 * Vietnam-based merchants). VND is a zero-decimal currency: amounts are integer đồng, sent as
 * they are, never × 100.
 */
export const STRIPE_MIN_VND = 20_000;
export const STRIPE_MAX_VND = 99_999_999;
/** Stripe accepts expires_at 30 min to 24 h after creation; a minute of slack keeps clock skew and latency from making it "< 30 min". */
export const CHECKOUT_MINUTES = 31;

let cached: { key: string; base: string | undefined; client: Stripe } | undefined;

export function stripeClient(): Stripe {
  const cfg = config();
  const key = cfg.STRIPE_SECRET_KEY;
  if (!key) throw new AppError('UNAVAILABLE', 'payments.card_disabled', 'Card payments are not configured');
  if (cached && cached.key === key && cached.base === cfg.STRIPE_API_BASE) return cached.client;
  const base = cfg.STRIPE_API_BASE ? new URL(cfg.STRIPE_API_BASE) : null;
  const client = new Stripe(key, {
    maxNetworkRetries: 2,
    timeout: 20_000,
    telemetry: false,
    ...(base ? { host: base.hostname, port: base.port || (base.protocol === 'http:' ? 80 : 443), protocol: base.protocol.replace(':', '') as 'http' | 'https' } : {}),
  });
  cached = { key, base: cfg.STRIPE_API_BASE, client };
  return client;
}

export const stripeProvider: PaymentProvider = {
  method: 'card',
  provider: 'stripe',
  enabled: () => Boolean(config().STRIPE_SECRET_KEY),
  policy: () => ({ orderStatus: 'pending_payment', stock: 'reserve', holdMinutes: CHECKOUT_MINUTES + 2 }),
  refuseAmount: (total) => (total < STRIPE_MIN_VND ? 'orders.error.cardMin' : total > STRIPE_MAX_VND ? 'orders.error.cardMax' : null),
  async start(order, urls) {
    const expiresAt = new Date(Date.now() + CHECKOUT_MINUTES * 60_000);
    const session = await stripeClient().checkout.sessions.create(
      {
        mode: 'payment',
        currency: 'vnd',
        line_items: [{
          quantity: 1,
          price_data: {
            currency: 'vnd',
            // Zero-decimal currency: the integer đồng total as is.
            unit_amount: order.total,
            product_data: { name: order.locale === 'vi' ? `Đơn hàng Chợ OCOP ${order.reference}` : `Chợ OCOP order ${order.reference}` },
          },
        }],
        client_reference_id: order.publicId,
        metadata: { order: order.publicId, reference: order.reference },
        payment_intent_data: { metadata: { order: order.publicId, reference: order.reference } },
        ...(order.email ? { customer_email: order.email } : {}),
        locale: order.locale === 'vi' ? 'vi' : 'en',
        expires_at: Math.floor(expiresAt.getTime() / 1000),
        success_url: urls.success,
        cancel_url: urls.cancel,
      },
      { idempotencyKey: `checkout:${order.publicId}` },
    );
    if (!session.url) throw new Error('Stripe returned a Checkout Session without a URL');
    return {
      providerRef: session.id,
      checkoutUrl: session.url,
      expiresAt: session.expires_at ? new Date(session.expires_at * 1000) : expiresAt,
      raw: { session: session.id },
    };
  },
  present: (_order, payment) => (payment.status === 'pending' && payment.checkoutUrl ? { url: payment.checkoutUrl } : {}),
  async close(payment) {
    try {
      await stripeClient().checkout.sessions.expire(payment.providerRef);
    } catch (err) {
      // Already expired or completed: nothing left to close (a completed one is refunded as a late payment).
      if ((err as { type?: string }).type === 'StripeInvalidRequestError') return;
      throw err;
    }
  },
  async refund(payment) {
    const refund = await stripeClient().refunds.create(
      { payment_intent: payment.providerPaymentId, amount: payment.amount, reason: 'requested_by_customer', metadata: { cause: payment.cause ?? 'reservation_lapsed' } },
      { idempotencyKey: payment.idempotencyKey },
    );
    return { refundId: refund.id };
  },
};

/** Verifies the Stripe-Signature of the raw body; throws a 400 AppError when it does not match. */
export function verifyStripeEvent(rawBody: string, signature: string | null): Stripe.Event {
  const secret = config().STRIPE_WEBHOOK_SECRET;
  if (!secret) throw new AppError('UNAVAILABLE', 'payments.webhook_disabled', 'Stripe webhooks are not configured');
  if (!signature) throw new AppError('INVALID_DATA', 'payments.bad_signature', 'Missing Stripe-Signature header');
  let event: Stripe.Event;
  try {
    event = Stripe.webhooks.constructEvent(rawBody, signature, secret);
  } catch (err) {
    throw new AppError('INVALID_DATA', 'payments.bad_signature', 'The webhook signature does not match', { cause: err });
  }
  // A signed body is still only as well-formed as its sender made it: check the envelope we rely on.
  const e = (typeof event === 'object' && event !== null ? event : {}) as unknown as { id?: unknown; type?: unknown; data?: { object?: unknown } | null };
  // Stripe's ids are printable ASCII (evt_…), event types dotted lower-case words.
  const wellFormed = str(e.id) !== null && typeof e.type === 'string' && /^[a-z0-9_.]{1,100}$/.test(e.type)
    && typeof e.data === 'object' && e.data !== null && typeof e.data.object === 'object' && e.data.object !== null && !Array.isArray(e.data.object);
  if (!wellFormed) throw new AppError('INVALID_DATA', 'payments.bad_event', 'The webhook body is not a Stripe event');
  return event;
}

/**
 * Fields of an event's object as the types we expect, whatever was sent. Every string we read
 * (ids, references, currency) is a printable ASCII token at Stripe: anything else, such as a NUL
 * byte PostgreSQL cannot store, is treated as absent rather than queried.
 */
const str = (v: unknown): string | null => (typeof v === 'string' && /^[\x21-\x7e]{1,255}$/.test(v) ? v : null);
const int = (v: unknown): number => (typeof v === 'number' && Number.isSafeInteger(v) ? v : -1);

const idOf = (v: unknown): string | null => (typeof v === 'object' && v !== null ? str((v as { id?: unknown }).id) : str(v));
const orderOf = (s: { client_reference_id?: unknown; metadata?: unknown }): string | null =>
  str(s.client_reference_id) ?? (typeof s.metadata === 'object' && s.metadata !== null ? str((s.metadata as { order?: unknown }).order) : null);

/** Stripe events in domain terms; anything else (or anything malformed) is acknowledged and ignored. */
export function interpretStripeEvent(event: Stripe.Event): PaymentNotice {
  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded': {
      const s = event.data.object;
      // "completed" with payment_status "unpaid" is a delayed method still on its way.
      const ref = str(s.id);
      if (s.payment_status !== 'paid' || !ref) return { kind: 'ignored' };
      return {
        kind: 'paid', orderPublicId: orderOf(s), providerRef: ref,
        providerPaymentId: idOf(s.payment_intent), amount: int(s.amount_total), currency: str(s.currency) ?? '',
      };
    }
    case 'checkout.session.expired':
    case 'checkout.session.async_payment_failed': {
      const s = event.data.object;
      const ref = str(s.id);
      if (!ref) return { kind: 'ignored' };
      return { kind: event.type === 'checkout.session.expired' ? 'expired' : 'failed', orderPublicId: orderOf(s), providerRef: ref };
    }
    case 'charge.refunded': {
      const c = event.data.object;
      const pi = idOf(c.payment_intent);
      if (!pi) return { kind: 'ignored' };
      return { kind: 'refunded', providerPaymentId: pi, amountRefunded: int(c.amount_refunded), fully: c.refunded === true };
    }
    default:
      return { kind: 'ignored' };
  }
}

/** Asks Stripe for a session's state (the success redirect may arrive before the webhook). */
export async function retrieveCheckoutNotice(sessionId: string): Promise<PaymentNotice> {
  const s = await stripeClient().checkout.sessions.retrieve(sessionId);
  if (s.payment_status !== 'paid') return { kind: 'ignored' };
  return {
    kind: 'paid', orderPublicId: s.client_reference_id ?? null, providerRef: s.id,
    providerPaymentId: idOf(s.payment_intent), amount: s.amount_total ?? -1, currency: s.currency ?? '',
  };
}
