import type { APIRoute } from 'astro';
import { requireAdmin } from '../../../lib/auth/index.ts';
import { json } from '../../../lib/http/index.ts';
import { listReportsForOffice } from '../../../lib/monitoring/index.ts';

/** GET ?status=new|reviewing|resolved|dismissed&page=: the office's queue of reports from the public (with contacts). */
export const GET: APIRoute = async ({ locals, url }) => {
  requireAdmin(locals.user);
  return json(await listReportsForOffice({ status: url.searchParams.get('status') ?? undefined, page: Number(url.searchParams.get('page') ?? 1) }));
};
