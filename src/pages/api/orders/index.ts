import type { APIRoute } from 'astro';
import { json } from '../../../lib/http/index.ts';
import { createOrder, orderClient, publicOrigin, readOrderRequest } from '../../../lib/orders/index.ts';

/**
 * POST /api/orders (DESIGN.md §6): 201 with the order, 400 per-field errors, 409 when stock is
 * short, 429 past the ordering limits; an Idempotency-Key replays the first answer (422 with another body).
 */
export const POST: APIRoute = async (ctx) => {
  const { request, url } = ctx;
  const { input, t, locale, idempotencyKey } = await readOrderRequest(request, url);
  const order = await createOrder(input, { t, locale, origin: publicOrigin(url), idempotencyKey, ...orderClient(ctx.locals.clientAddress) });
  return json(order, { status: 201, headers: { Location: `/api/orders/${order.publicId}` } });
};
