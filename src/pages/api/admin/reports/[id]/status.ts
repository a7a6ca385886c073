import type { APIRoute } from 'astro';
import { requireAdmin } from '../../../../../lib/auth/index.ts';
import { readBody } from '../../../../../lib/backoffice/index.ts';
import { json } from '../../../../../lib/http/index.ts';
import { setReportStatus } from '../../../../../lib/monitoring/index.ts';

/** POST { status, note? }: moves a report through the office's queue (audited). */
export const POST: APIRoute = async ({ locals, params, request }) =>
  json(await setReportStatus(requireAdmin(locals.user), Number(params.id), await readBody(request)));
