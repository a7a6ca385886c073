import type { APIRoute } from 'astro';
import { requireAdmin } from '../../../../lib/auth/index.ts';
import { AppError } from '../../../../lib/errors/index.ts';
import { json } from '../../../../lib/http/index.ts';
import { importBankStatement } from '../../../../lib/orders/index.ts';

/** POST the collection account's statement as text/csv: VietQR orders whose reference and amount match are marked paid. */
export const POST: APIRoute = async ({ locals, request }) => {
  const user = requireAdmin(locals.user);
  const csv = await request.text();
  if (!csv.trim() || csv.length > 5 * 1024 * 1024) throw new AppError('INVALID_DATA', 'payments.bad_statement', 'Send the statement as a CSV body (at most 5 MB).');
  return json(await importBankStatement(csv, `office:${user.email}`));
};
