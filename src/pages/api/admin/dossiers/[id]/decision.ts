import type { APIRoute } from 'astro';
import { requireAdmin } from '../../../../../lib/auth/index.ts';
import { readJson } from '../../../../../lib/backoffice/index.ts';
import { json } from '../../../../../lib/http/index.ts';
import { decideDossier } from '../../../../../lib/programme/index.ts';

/** POST { action: "accept", round: "2026-2" } | { action: "return" | "reject", comment }: the office's decision on a dossier in the queue. */
export const POST: APIRoute = async ({ locals, params, request }) =>
  json(await decideDossier(requireAdmin(locals.user), Number(params.id), (await readJson(request)) as Record<string, unknown>));
