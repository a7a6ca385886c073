import type { APIRoute } from 'astro';
import { requireProducer } from '../../../../../lib/auth/index.ts';
import { readJson, voidOwnRun } from '../../../../../lib/backoffice/index.ts';
import { json } from '../../../../../lib/http/index.ts';

/** POST { reason }: voids every stamp of the run (they then show "voided" when scanned). */
export const POST: APIRoute = async ({ locals, params, request }) =>
  json(await voidOwnRun(requireProducer(locals.user), Number(params.id), await readJson(request)));
