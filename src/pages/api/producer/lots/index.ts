import type { APIRoute } from 'astro';
import { requireProducer } from '../../../../lib/auth/index.ts';
import { createLot, listOwnLots, readJson } from '../../../../lib/backoffice/index.ts';
import { json } from '../../../../lib/http/index.ts';

/** GET ?product=<slug>: the producer's lots. POST: a new lot of one of its products. */
export const GET: APIRoute = async ({ locals, url }) =>
  json({ lots: await listOwnLots(requireProducer(locals.user), url.searchParams.get('product') ?? undefined) });

export const POST: APIRoute = async ({ locals, request }) => {
  const lot = await createLot(requireProducer(locals.user), await readJson(request));
  return json(lot, { status: 201, headers: { Location: `/api/producer/lots/${lot.id}` } });
};
