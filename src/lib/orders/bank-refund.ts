import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit, type Actor } from '../audit/index.ts';
import { db } from '../db/index.ts';
import { AppError, type FieldErrors } from '../errors/index.ts';
import { latestPaymentOf } from '../payments/index.ts';
import { markRefunded } from './payment-lifecycle.ts';
import { insertEvent, lockOrderByPublicId } from './orders.repository.ts';

/**
 * The office records a bank-transfer refund (issue 13): a paid VietQR order that must give the
 * money back (the customer cancelled a paid booking, or the transfer arrived after the hold
 * lapsed) leaves a `refund_required` event; once the clerk has sent the money back from the bank,
 * they record the amount, the bank's reference, the day and who did it. In one transaction, under
 * the order's lock: the payment becomes refunded, the order refunded (its unshipped parcels
 * cancelled and producers' credits reversed, as for a card refund), a `refund` event with the
 * details, the audit log entry, and the customer's notice through the outbox. Recording twice is
 * 409 (the lock, then the payment's status; a unique index on the event is the backstop).
 */
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v));
const RefundSchema = z.object({
  amount: z.coerce.number().int().positive(),
  reference: z.string().trim().min(3).max(80),
  sentOn: day,
}).strict();

export interface BankRefund {
  publicId: string;
  amount: number;
  reference: string;
  sentOn: string;
  by: string;
  status: 'refunded';
}

const VN_DAY = () => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);

export async function recordBankRefund(actor: Actor, publicId: string, raw: unknown): Promise<BankRefund> {
  const parsed = RefundSchema.safeParse(raw);
  const fields: FieldErrors = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? '_');
      fields[key] ??= issue.code === 'unrecognized_keys' ? 'unknown' : issue.code === 'invalid_type' ? 'required' : 'invalid';
      if (issue.code === 'unrecognized_keys') for (const k of issue.keys) fields[k] ??= 'unknown';
    }
    throw new AppError('INVALID_DATA', 'orders.invalid_refund', 'Please check the refund.', { fields });
  }
  const input = parsed.data;
  if (input.sentOn > VN_DAY()) throw new AppError('INVALID_DATA', 'orders.invalid_refund', 'The day is in the future.', { fields: { sentOn: 'future' } });
  if (!/^ord_[0-9a-z]{20}$/.test(publicId)) throw new AppError('NOT_FOUND', 'orders.not_found', 'No such order');
  const by = `office:${actor.email}`;
  const d = await db();
  return d.transaction(async (tx) => {
    const order = await lockOrderByPublicId(tx, publicId);
    if (!order) throw new AppError('NOT_FOUND', 'orders.not_found', 'No such order');
    const payment = await latestPaymentOf(tx, order.id);
    if (!payment || payment.provider !== 'vietqr') throw new AppError('CONFLICT', 'orders.refund_not_bank', 'Only bank-transfer payments are refunded by hand.');
    if (payment.status === 'refunded') throw new AppError('CONFLICT', 'orders.refund_already_recorded', 'This refund was already recorded.');
    const due = (await tx.execute(sql`select 1 from order_events where order_id = ${order.id} and type = 'refund_required' limit 1`)) as unknown as unknown[];
    if (payment.status !== 'succeeded' || due.length === 0) throw new AppError('CONFLICT', 'orders.refund_not_due', 'No refund is due on this order.');
    if (input.amount !== payment.amount) {
      throw new AppError('INVALID_DATA', 'orders.invalid_refund', 'The amount sent back must be the amount paid.', { fields: { amount: 'refund_amount' }, details: { expected: payment.amount } });
    }
    const before = { order: order.status, payment: payment.status };
    await insertEvent(tx, { orderId: order.id, type: 'refund', cause: 'bank_transfer_refunded', actor: by, data: { amount: input.amount, reference: input.reference, sentOn: input.sentOn, by: actor.email } });
    await markRefunded(tx, order, payment, 'bank_transfer_refunded', by, input.amount);
    await recordAudit(tx, actor, 'order.refund_recorded', { type: 'order', id: publicId }, before, { amount: input.amount, reference: input.reference, sentOn: input.sentOn });
    return { publicId, amount: input.amount, reference: input.reference, sentOn: input.sentOn, by: actor.email, status: 'refunded' as const };
  });
}
