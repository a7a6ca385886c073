import type { APIRoute } from 'astro';
import { requireProducer } from '../../../../lib/auth/index.ts';
import { json } from '../../../../lib/http/index.ts';
import { getOwnDossier } from '../../../../lib/programme/index.ts';

/** GET: one of the producer's dossiers with its documents, steps and commune assessment. */
export const GET: APIRoute = async ({ locals, params }) => json(await getOwnDossier(requireProducer(locals.user), Number(params.id)));
