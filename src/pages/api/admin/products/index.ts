import type { APIRoute } from 'astro';
import { requireAdmin } from '../../../../lib/auth/index.ts';
import { listProductsForApproval } from '../../../../lib/backoffice/index.ts';
import { json } from '../../../../lib/http/index.ts';

/** GET ?approval=pending|rejected: products waiting for (or refused) the office's approval. */
export const GET: APIRoute = async ({ locals, url }) => {
  requireAdmin(locals.user);
  const approval = url.searchParams.get('approval') === 'rejected' ? 'rejected' : 'pending';
  return json({ products: await listProductsForApproval(approval) });
};
