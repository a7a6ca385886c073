import type { APIRoute } from 'astro';
import { requireAdmin } from '../../../../../lib/auth/index.ts';
import { readJson } from '../../../../../lib/backoffice/index.ts';
import { json } from '../../../../../lib/http/index.ts';
import { scoreDossier } from '../../../../../lib/programme/index.ts';

/** POST { evaluatedOn, councilSize?, mandatoryMet, members: [{ name, a, b, c, isChair }] }: the council's scores → 201 with the result. */
export const POST: APIRoute = async ({ locals, params, request }) =>
  json(await scoreDossier(requireAdmin(locals.user), Number(params.id), (await readJson(request)) as Record<string, unknown>), { status: 201 });
