import type { APIRoute } from 'astro';
import { requireAdmin } from '../../../lib/auth/index.ts';
import { payoutReportCsv } from '../../../lib/payments/index.ts';

/** GET: what each producer is owed (payout ledger), as the office's CSV for the bank transfers. */
export const GET: APIRoute = async ({ locals }) => {
  requireAdmin(locals.user);
  const csv = await payoutReportCsv();
  return new Response(csv, { headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="payouts-${new Date().toISOString().slice(0, 10)}.csv"`, 'Cache-Control': 'no-store' } });
};
