import type { APIRoute } from 'astro';
import { requireProducer } from '../../../../lib/auth/index.ts';
import { readJson, voidOwnStamps } from '../../../../lib/backoffice/index.ts';
import { json } from '../../../../lib/http/index.ts';

/** POST { codes: [...], reason }: voids single stamps of the producer (all or none). */
export const POST: APIRoute = async ({ locals, request }) =>
  json(await voidOwnStamps(requireProducer(locals.user), await readJson(request)));
