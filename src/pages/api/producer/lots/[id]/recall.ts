import type { APIRoute } from 'astro';
import { requireProducer } from '../../../../../lib/auth/index.ts';
import { readBody } from '../../../../../lib/backoffice/index.ts';
import { json } from '../../../../../lib/http/index.ts';
import { recallOwnLot } from '../../../../../lib/monitoring/index.ts';

/** POST { reason }: a producer recalls one of its own lots (another producer's lot is a 404). */
export const POST: APIRoute = async ({ locals, params, request }) =>
  json(await recallOwnLot(requireProducer(locals.user), Number(params.id), await readBody(request)));
