import type { APIRoute } from 'astro';
import { json, notFound } from '../../../lib/http/index.ts';
import { getOrderView } from '../../../lib/orders/index.ts';

/** GET /api/orders/<publicId> (DESIGN.md §6). The unguessable id is the only key. */
export const GET: APIRoute = async ({ params }) => {
  const order = await getOrderView(params.publicId ?? '');
  if (!order) throw notFound('orders.not_found', 'No such order');
  return json(order);
};
