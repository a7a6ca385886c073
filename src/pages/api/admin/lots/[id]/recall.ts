import type { APIRoute } from 'astro';
import { requireAdmin } from '../../../../../lib/auth/index.ts';
import { readBody } from '../../../../../lib/backoffice/index.ts';
import { json } from '../../../../../lib/http/index.ts';
import { recallLotByOffice } from '../../../../../lib/monitoring/index.ts';

/** POST { reason }: the office recalls a lot; its stamps' provenance pages show the recall first. */
export const POST: APIRoute = async ({ locals, params, request }) =>
  json(await recallLotByOffice(requireAdmin(locals.user), Number(params.id), await readBody(request)));
