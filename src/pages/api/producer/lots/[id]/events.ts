import type { APIRoute } from 'astro';
import { requireProducer } from '../../../../../lib/auth/index.ts';
import { addLotEvent, readJson } from '../../../../../lib/backoffice/index.ts';
import { json } from '../../../../../lib/http/index.ts';

/** POST: appends an event (or an error declaration of an earlier one) to the lot's timeline. */
export const POST: APIRoute = async ({ locals, params, request }) =>
  json(await addLotEvent(requireProducer(locals.user), Number(params.id), await readJson(request)), { status: 201 });
