import type { APIRoute } from 'astro';
import { requireProducer } from '../../../../../lib/auth/index.ts';
import { readJson } from '../../../../../lib/backoffice/index.ts';
import { json } from '../../../../../lib/http/index.ts';
import { resubmitDossier } from '../../../../../lib/programme/index.ts';

/** POST { selfA?, selfB?, selfC?, note? }: a returned dossier filed again. */
export const POST: APIRoute = async ({ locals, params, request }) => json(await resubmitDossier(requireProducer(locals.user), Number(params.id), await readJson(request)));
