import type { APIRoute } from 'astro';
import { requireAdmin } from '../../../../../lib/auth/index.ts';
import { decideProduct, readJson } from '../../../../../lib/backoffice/index.ts';
import { json } from '../../../../../lib/http/index.ts';

/** POST { decision: "approve"|"reject", note? }: the office's decision on a new product (a rejection needs a note). */
export const POST: APIRoute = async ({ locals, params, request }) =>
  json(await decideProduct(requireAdmin(locals.user), params.slug ?? '', await readJson(request)));
