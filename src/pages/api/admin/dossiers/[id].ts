import type { APIRoute } from 'astro';
import { requireAdmin } from '../../../../lib/auth/index.ts';
import { json } from '../../../../lib/http/index.ts';
import { getDossier } from '../../../../lib/programme/index.ts';

/** GET: a dossier with its documents, steps and commune assessment. */
export const GET: APIRoute = async ({ locals, params }) => {
  requireAdmin(locals.user);
  return json(await getDossier(Number(params.id)));
};
