import type { APIRoute } from 'astro';
import { requireAdmin } from '../../../../lib/auth/index.ts';
import { listExpiring } from '../../../../lib/certification/index.ts';
import { json } from '../../../../lib/http/index.ts';

/** Active certificates that expire within 30 days. */
export const GET: APIRoute = async ({ locals }) => {
  requireAdmin(locals.user);
  return json({ certificates: await listExpiring() });
};
