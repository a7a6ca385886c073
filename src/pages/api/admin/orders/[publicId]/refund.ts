import type { APIRoute } from 'astro';
import { requireAdmin } from '../../../../../lib/auth/index.ts';
import { readJson } from '../../../../../lib/backoffice/index.ts';
import { json } from '../../../../../lib/http/index.ts';
import { recordBankRefund } from '../../../../../lib/orders/index.ts';

/**
 * POST `{ amount, reference, sentOn: "YYYY-MM-DD" }`: the office sent a bank-transfer payment back
 * (an order with a `refund_required` event). 201 with the refund; 400 per field (the amount must be
 * what was paid, no future day); 404 no such order; 409 not a bank transfer, no refund due, or
 * already recorded (`orders.refund_already_recorded`).
 */
export const POST: APIRoute = async ({ locals, params, request }) => {
  const user = requireAdmin(locals.user);
  return json(await recordBankRefund(user, params.publicId ?? '', await readJson(request)), { status: 201 });
};
