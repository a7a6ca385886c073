import type { APIRoute } from 'astro';
import { json } from '../../../lib/http/index.ts';
import { createOrder, publicOrigin, readOrderRequest } from '../../../lib/orders/index.ts';

/** POST /api/orders (DESIGN.md §6): 201 with the order, 400 per-field errors, 409 when stock is short. */
export const POST: APIRoute = async ({ request, url }) => {
  const { input, t, locale } = await readOrderRequest(request, url);
  const order = await createOrder(input, { t, locale, origin: publicOrigin(url) });
  return json(order, { status: 201, headers: { Location: `/api/orders/${order.publicId}` } });
};
