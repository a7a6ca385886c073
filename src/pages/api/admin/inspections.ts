import type { APIRoute } from 'astro';
import { requireAdmin } from '../../../lib/auth/index.ts';
import { readJson } from '../../../lib/backoffice/index.ts';
import { json } from '../../../lib/http/index.ts';
import { listInspections, recordInspection } from '../../../lib/monitoring/index.ts';

/** GET ?open=1 (violations awaiting a decision): inspections. POST: records one (JSON; documents are uploaded from /admin/inspections). */
export const GET: APIRoute = async ({ locals, url }) => {
  requireAdmin(locals.user);
  return json({ inspections: await listInspections({ open: url.searchParams.get('open') === '1' }) });
};

export const POST: APIRoute = async ({ locals, request }) =>
  json(await recordInspection(requireAdmin(locals.user), await readJson(request)), { status: 201 });
