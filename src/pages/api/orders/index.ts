import type { APIRoute } from 'astro';
import { json } from '../../../lib/http/index.ts';
import { orderClient, placeOrder, publicOrigin, readOrderRequest } from '../../../lib/orders/index.ts';

/**
 * POST /api/orders (DESIGN.md §6): 201 with the order, 400 per-field errors, 409 when stock is
 * short, 429 past the ordering limits; an Idempotency-Key replays the first answer, marked
 * `Idempotent-Replayed: true` as Stripe does (422 with another body).
 */
export const POST: APIRoute = async (ctx) => {
  const { request, url } = ctx;
  const { input, t, locale, idempotencyKey } = await readOrderRequest(request, url);
  const { order, replayed } = await placeOrder(input, { t, locale, origin: publicOrigin(url), idempotencyKey, ...orderClient(ctx.locals.clientAddress) });
  const headers: Record<string, string> = { Location: `/api/orders/${order.publicId}` };
  if (replayed) headers['Idempotent-Replayed'] = 'true';
  return json(order, { status: 201, headers });
};
