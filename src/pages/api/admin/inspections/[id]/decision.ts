import type { APIRoute } from 'astro';
import { requireAdmin } from '../../../../../lib/auth/index.ts';
import { readBody } from '../../../../../lib/backoffice/index.ts';
import { json } from '../../../../../lib/http/index.ts';
import { decideInspection } from '../../../../../lib/monitoring/index.ts';

/** POST { decision: "warning"|"lot_recall"|"revocation", note, lotIds? }: the decision on a violation. */
export const POST: APIRoute = async ({ locals, params, request }) =>
  json(await decideInspection(requireAdmin(locals.user), Number(params.id), await readBody(request, ['lotIds'])));
