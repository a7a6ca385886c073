import type { APIRoute } from 'astro';
import { requireAdmin } from '../../../lib/auth/index.ts';
import { readJson } from '../../../lib/backoffice/index.ts';
import { listEvaluations, recordEvaluation } from '../../../lib/certification/index.ts';
import { json } from '../../../lib/http/index.ts';

/** GET: recent evaluations. POST: a council's evaluation (members' scores within 10 points). */
export const GET: APIRoute = async ({ locals }) => {
  requireAdmin(locals.user);
  return json({ evaluations: await listEvaluations() });
};

export const POST: APIRoute = async ({ locals, request }) =>
  json(await recordEvaluation(requireAdmin(locals.user), await readJson(request)), { status: 201 });
