import type { APIRoute } from 'astro';
import { requireAdmin } from '../../../../lib/auth/index.ts';
import { json } from '../../../../lib/http/index.ts';
import { programme } from '../../../../lib/programme/index.ts';

/** GET ?year=&province=: the programme dashboard's figures (targets and actuals computed from the records) as JSON. */
export const GET: APIRoute = async ({ locals, url }) => {
  requireAdmin(locals.user);
  return json(await programme({ year: url.searchParams.get('year') || undefined, province: url.searchParams.get('province') || undefined }));
};
