import type { APIRoute } from 'astro';
import { requireAdmin } from '../../../../lib/auth/index.ts';
import { getCertificate } from '../../../../lib/certification/index.ts';
import { json } from '../../../../lib/http/index.ts';

/** One certificate with the product's whole certificate history. */
export const GET: APIRoute = async ({ locals, params }) => {
  requireAdmin(locals.user);
  return json(await getCertificate(Number(params.id)));
};
