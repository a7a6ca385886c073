import type { APIRoute } from 'astro';
import { requireProducer } from '../../../../lib/auth/index.ts';
import { json } from '../../../../lib/http/index.ts';
import { listProducerParts } from '../../../../lib/orders/index.ts';

/** GET: the signed-in producer's parts of confirmed orders (its own parcels only), newest first. */
export const GET: APIRoute = async ({ locals }) => json({ parts: await listProducerParts(requireProducer(locals.user).producerId) });
