import type { APIRoute } from 'astro';
import { requireAdmin } from '../../../../lib/auth/index.ts';
import { readJson } from '../../../../lib/backoffice/index.ts';
import { json } from '../../../../lib/http/index.ts';
import { recordPlan } from '../../../../lib/programme/index.ts';

/** POST: an area's yearly plan (targets only; the actual figures are computed). Recording it again replaces its targets. */
export const POST: APIRoute = async ({ locals, request }) => json(await recordPlan(requireAdmin(locals.user), await readJson(request)), { status: 201 });
