import type { APIRoute } from 'astro';
import { requireAdmin } from '../../../../../lib/auth/index.ts';
import { readJson } from '../../../../../lib/backoffice/index.ts';
import { json } from '../../../../../lib/http/index.ts';
import { recordCentralRefusal } from '../../../../../lib/programme/index.ts';

/** POST { outcome: "refused", reference, comment? }: the central level did not recognise a forwarded (≥ 90) dossier as 5★. */
export const POST: APIRoute = async ({ locals, params, request }) =>
  json(await recordCentralRefusal(requireAdmin(locals.user), Number(params.id), await readJson(request)));
