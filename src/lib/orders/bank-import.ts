import { db } from '../db/index.ts';
import { findPaymentByRef, latestPaymentOf, parseBankStatement, referencesIn } from '../payments/index.ts';
import { confirmPaid, type PaymentOutcome } from './payment-lifecycle.ts';
import { lockOrderByReference } from './orders.repository.ts';

/**
 * Marks VietQR orders paid from the collection account's statement: a credit line matches an
 * order when its transfer note carries the order's reference and the amount is exactly the
 * order's total. Re-importing the same statement changes nothing (the bank's transaction id is
 * the payment's provider reference).
 */
export interface ImportRow {
  line: number;
  transactionId: string;
  amount: number;
  order: string | null;
  result: PaymentOutcome | 'no_reference' | 'unknown_reference' | 'not_vietqr' | 'amount_mismatch' | 'already_imported';
}

export async function importBankStatement(csv: string, actor = 'bank_import'): Promise<{ rows: ImportRow[]; errors: Array<{ line: number; message: string }> }> {
  const { lines, errors } = parseBankStatement(csv);
  const d = await db();
  const rows: ImportRow[] = [];
  for (const line of lines) {
    const refs = referencesIn(line.description);
    const base = { line: line.line, transactionId: line.transactionId, amount: line.amount };
    if (refs.length === 0) {
      rows.push({ ...base, order: null, result: 'no_reference' });
      continue;
    }
    const row = await d.transaction(async (tx): Promise<ImportRow> => {
      if (await findPaymentByRef(tx, 'vietqr', line.transactionId)) return { ...base, order: null, result: 'already_imported' };
      for (const ref of refs) {
        const order = await lockOrderByReference(tx, ref);
        if (!order) continue;
        if (order.paymentMethod !== 'vietqr') return { ...base, order: order.publicId, result: 'not_vietqr' };
        if (order.total !== line.amount) return { ...base, order: order.publicId, result: 'amount_mismatch' };
        const payment = await latestPaymentOf(tx, order.id);
        if (!payment) return { ...base, order: order.publicId, result: 'noop' };
        const result = await confirmPaid(tx, order, payment, { amount: line.amount, providerRef: line.transactionId, actor, cause: 'bank_transfer' });
        return { ...base, order: order.publicId, result };
      }
      return { ...base, order: null, result: 'unknown_reference' };
    });
    rows.push(row);
  }
  return { rows, errors };
}
