import type { APIRoute } from 'astro';
import { json } from '../../../lib/http/index.ts';
import { handleStripeWebhook } from '../../../lib/orders/index.ts';

/** Stripe's webhook: the signature is checked on the raw body, then the event is applied once. */
export const POST: APIRoute = async ({ request }) => {
  const result = await handleStripeWebhook(await request.text(), request.headers.get('stripe-signature'));
  return json({ received: true, ...result });
};
