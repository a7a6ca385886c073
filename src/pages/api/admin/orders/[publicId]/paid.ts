import type { APIRoute } from 'astro';
import { requireAdmin } from '../../../../../lib/auth/index.ts';
import { json } from '../../../../../lib/http/index.ts';
import { markPaidByOffice } from '../../../../../lib/orders/index.ts';

/** POST: the office confirms a VietQR transfer received (or the cash of a COD order collected). */
export const POST: APIRoute = async ({ locals, params }) => {
  const user = requireAdmin(locals.user);
  return json({ outcome: await markPaidByOffice(params.publicId ?? '', `office:${user.email}`) });
};
