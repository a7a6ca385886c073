import { z } from 'zod';
import { recordAudit, type Actor } from '../audit/index.ts';
import { db as getDb } from '../db/index.ts';
import { AppError } from '../errors/index.ts';
import { importBankStatement } from './bank-import.ts';
import { selectOfficeOrders, type OfficeOrderRow } from './office-orders.repository.ts';
import { markPaidByOffice } from './payment-lifecycle.ts';
import { ORDER_STATUSES, PAYMENT_METHODS } from './orders.table.ts';

/**
 * The office's order and payment desk in the browser (issue 14 item 8; the same operations as
 * `npm run payments`): orders with filters, a VietQR transfer received or COD cash collected by
 * hand, a bank statement imported. Each action is audited under the office account.
 */
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v));
const FilterSchema = z.object({
  status: z.enum(ORDER_STATUSES).optional().catch(undefined),
  method: z.enum(PAYMENT_METHODS).optional().catch(undefined),
  awaiting: z.enum(['1']).optional().catch(undefined),
  refund: z.enum(['1']).optional().catch(undefined),
  q: z.string().trim().max(80).optional().catch(undefined),
  from: day.optional().catch(undefined),
  to: day.optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).optional().catch(undefined),
});
export type OfficeOrderQuery = z.infer<typeof FilterSchema>;
const PAGE = 50;

/** Unknown or malformed filters are dropped (a bookmarked URL never breaks the page). */
export function parseOfficeOrderQuery(params: URLSearchParams): OfficeOrderQuery {
  const raw = Object.fromEntries([...params.entries()].filter(([, v]) => v !== ''));
  return FilterSchema.parse(raw);
}

export interface OfficeOrder {
  publicId: string; status: string; method: string; customer: string; phone: string; province: string; total: number; reference: string;
  createdAt: string; payment: { status: string | null; paidAt: string | null }; parts: number;
  /** The office may confirm the payment by hand now (VietQR transfer or COD cash). */
  canMarkPaid: boolean;
  /** A bank transfer must be sent back and recorded here (recordBankRefund). */
  refundDue: boolean;
}

const view = (r: OfficeOrderRow): OfficeOrder => ({
  publicId: r.public_id, status: r.status, method: r.payment_method, customer: r.customer_name, phone: r.phone, province: r.province_code,
  total: Number(r.total), reference: r.payment_reference, createdAt: new Date(r.created_at).toISOString(),
  payment: { status: r.payment_status, paidAt: r.paid_at ? new Date(r.paid_at).toISOString() : null }, parts: Number(r.parts),
  refundDue: Boolean(r.refund_due),
  canMarkPaid: (r.payment_method === 'vietqr' || r.payment_method === 'cod') && r.payment_status === 'pending' && !['cancelled', 'refunded'].includes(r.status),
});

export async function listOrdersForOffice(query: OfficeOrderQuery) {
  const page = query.page ?? 1;
  const { rows, total } = await selectOfficeOrders(await getDb(), {
    status: query.status, method: query.method, awaiting: query.awaiting === '1', refundDue: query.refund === '1', q: query.q, from: query.from, to: query.to, limit: PAGE, offset: (page - 1) * PAGE,
  });
  return { orders: rows.map(view), total, page, pages: Math.max(1, Math.ceil(total / PAGE)) };
}

/** The office confirms a payment by hand: a VietQR transfer received, or a COD parcel's cash collected. */
export async function confirmPaymentByOffice(actor: Actor, publicId: string) {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(publicId)) throw new AppError('NOT_FOUND', 'orders.not_found', 'No such order');
  const outcome = await markPaidByOffice(publicId, `office:${actor.email}`);
  await recordAudit(await getDb(), actor, 'order.payment_confirmed', { type: 'order', id: publicId }, null, { outcome });
  return outcome;
}

export async function importStatementByOffice(actor: Actor, csv: string) {
  if (!csv.trim() || csv.length > 5 * 1024 * 1024) throw new AppError('INVALID_DATA', 'payments.bad_statement', 'Send the statement as a CSV file (at most 5 MB).', { fields: { statement: 'required' } });
  const result = await importBankStatement(csv, `office:${actor.email}`);
  const paid = result.rows.filter((r) => r.result === 'paid').map((r) => r.order);
  await recordAudit(await getDb(), actor, 'payments.statement_imported', { type: 'bank_statement', id: new Date().toISOString().slice(0, 10) }, null,
    { lines: result.rows.length, paid, unreadable: result.errors.length });
  return result;
}
