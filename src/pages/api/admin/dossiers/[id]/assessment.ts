import type { APIRoute } from 'astro';
import { requireAdmin } from '../../../../../lib/auth/index.ts';
import { readJson } from '../../../../../lib/backoffice/index.ts';
import { json } from '../../../../../lib/http/index.ts';
import { recordCommuneAssessment } from '../../../../../lib/programme/index.ts';

/** POST: the commune's assessment on its four criteria, attached to an accepted dossier. */
export const POST: APIRoute = async ({ locals, params, request }) =>
  json(await recordCommuneAssessment(requireAdmin(locals.user), Number(params.id), (await readJson(request)) as Record<string, unknown>));
