import type { APIRoute } from 'astro';
import { requireAdmin } from '../../../../lib/auth/index.ts';
import { createProducer, listProducers, readJson } from '../../../../lib/backoffice/index.ts';
import { json } from '../../../../lib/http/index.ts';

/** GET ?status=: the register. POST: a new producer (pending) with its first account. */
export const GET: APIRoute = async ({ locals, url }) => {
  requireAdmin(locals.user);
  return json({ producers: await listProducers(url.searchParams.get('status') ?? undefined) });
};

export const POST: APIRoute = async ({ locals, request }) =>
  json(await createProducer(requireAdmin(locals.user), await readJson(request)), { status: 201 });
