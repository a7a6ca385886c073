import type { APIRoute } from 'astro';
import { requireAdmin } from '../../../../lib/auth/index.ts';
import { getProducerForOffice, readJson, setProducerStatus } from '../../../../lib/backoffice/index.ts';
import { json } from '../../../../lib/http/index.ts';

/** GET: one producer. PATCH { status: verified|suspended|pending, reason? }. */
export const GET: APIRoute = async ({ locals, params }) => {
  requireAdmin(locals.user);
  return json(await getProducerForOffice(params.slug ?? ''));
};

export const PATCH: APIRoute = async ({ locals, params, request }) =>
  json(await setProducerStatus(requireAdmin(locals.user), params.slug ?? '', await readJson(request)));
