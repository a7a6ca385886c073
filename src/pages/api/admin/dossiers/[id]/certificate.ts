import type { APIRoute } from 'astro';
import { requireAdmin } from '../../../../../lib/auth/index.ts';
import { readJson } from '../../../../../lib/backoffice/index.ts';
import { json } from '../../../../../lib/http/index.ts';
import { certifyDossier } from '../../../../../lib/programme/index.ts';

/** POST { number, decisionNumber, authority, issuedOn }: the scored dossier's certificate (level from stars and date) → 201. */
export const POST: APIRoute = async ({ locals, params, request }) =>
  json(await certifyDossier(requireAdmin(locals.user), Number(params.id), (await readJson(request)) as Record<string, unknown>), { status: 201 });
