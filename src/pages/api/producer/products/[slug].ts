import type { APIRoute } from 'astro';
import { requireProducer } from '../../../../lib/auth/index.ts';
import { getOwnProduct, readJson, updateOwnProduct } from '../../../../lib/backoffice/index.ts';
import { json } from '../../../../lib/http/index.ts';

/** One of the producer's own products; another producer's slug is a 404. */
export const GET: APIRoute = async ({ locals, params }) => json(await getOwnProduct(requireProducer(locals.user), params.slug ?? ''));

export const PATCH: APIRoute = async ({ locals, params, request }) =>
  json(await updateOwnProduct(requireProducer(locals.user), params.slug ?? '', await readJson(request)));
