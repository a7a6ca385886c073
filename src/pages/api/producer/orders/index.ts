import type { APIRoute } from 'astro';
import { requireProducer } from '../../../../lib/auth/index.ts';
import { json } from '../../../../lib/http/index.ts';
import { listHandovers, listProducerParts } from '../../../../lib/orders/index.ts';

/**
 * GET: the signed-in producer's parts of confirmed orders (its own parcels only), newest first, and
 * `handovers`: its products sold inside gift boxes another producer or a point of sale packs (the
 * packer, what to hand over, its share of the box price).
 */
export const GET: APIRoute = async ({ locals }) => {
  const { producerId } = requireProducer(locals.user);
  const [parts, handovers] = await Promise.all([listProducerParts(producerId), listHandovers(producerId)]);
  return json({ parts, handovers });
};
