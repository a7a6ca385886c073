import { z } from 'zod';
import { addFieldError, AppError, type FieldErrors } from '../errors/index.ts';
import { recordAudit, type Actor } from '../audit/index.ts';
import { db as getDb } from '../db/index.ts';
import { lockProducerPayouts, payoutBalances, settlePointOfSale, settleProducer } from './payouts.ts';

/**
 * The office records a bank transfer paid to a producer (the browser's form for
 * `npm run payments -- settle`), or to a point of sale for the gift boxes it packed (`pos:<slug>`,
 * as the payouts CSV names it), never more than the payee is owed; audited.
 */
const SettleSchema = z.object({
  producer: z.string().trim().toLowerCase().max(84).regex(/^(?:pos:)?[a-z0-9]+(-[a-z0-9]+)*$/),
  amount: z.string().trim().regex(/^\d{1,12}$/).transform(Number).or(z.number().int()).pipe(z.number().int().positive().max(99_999_999_999)),
  reference: z.string().trim().min(3).max(80).regex(/^[\p{L}\p{N} ._\/#-]+$/u),
}).strict();

export async function settlePayoutByOffice(actor: Actor, raw: unknown): Promise<{ producer: string; amount: number; reference: string; balance: number }> {
  const parsed = SettleSchema.safeParse(raw);
  if (!parsed.success) {
    const fields: FieldErrors = {};
    for (const issue of parsed.error.issues) addFieldError(fields, String(issue.path[0] ?? '_'), issue.code === 'invalid_type' ? 'required' : 'invalid');
    throw new AppError('INVALID_DATA', 'payments.invalid_settlement', 'Please check the settlement.', { fields });
  }
  const { producer, amount, reference } = parsed.data;
  const d = await getDb();
  return d.transaction(async (tx) => {
    // Serialise settlements of one producer so two clerks cannot both pay the same balance.
    await lockProducerPayouts(tx, producer);
    const point = producer.startsWith('pos:') ? producer.slice(4) : null;
    const owed = (await payoutBalances(tx)).find((b) => (point ? b.payee === 'point_of_sale' && b.producerSlug === point : b.payee === 'producer' && b.producerSlug === producer));
    if (!owed) throw new AppError('INVALID_DATA', 'payments.invalid_settlement', 'No balance for this payee.', { fields: { producer: 'not_found' } });
    if (amount > owed.balance) throw new AppError('INVALID_DATA', 'payments.over_balance', 'More than the payee is owed.', { fields: { amount: 'over_balance' } });
    if (point) await settlePointOfSale(tx, point, amount, reference);
    else await settleProducer(tx, producer, amount, reference);
    await recordAudit(tx, actor, 'payout.settled', { type: point ? 'point_of_sale' : 'producer', id: point ?? producer }, { balance: owed.balance }, { amount, reference, balance: owed.balance - amount });
    return { producer, amount, reference, balance: owed.balance - amount };
  });
}
