import { sql } from 'drizzle-orm';
import { db, type DbOrTx } from '../db/index.ts';
import { payoutEntries } from './payments.table.ts';

/**
 * The payout ledger: what the platform owes each producer. A paid order part credits its goods
 * and shipping and debits the platform's commission; settlements (bank transfers to the
 * producer) and reversals (refunds) are negative. Rows are never edited; the balance is the sum.
 * The unique (order part, kind) index makes crediting and reversing idempotent.
 */
export interface PartToCredit {
  partId: number;
  /** Who ships the parcel (a producer, or a point of sale packing gift boxes): it is credited the shipping fee. */
  shipper: { kind: 'producer' | 'point_of_sale'; id: number };
  shippingFee: number;
  /**
   * The goods of the parcel per producer (a gift box holds other producers' components): each
   * producer is credited its own share and pays the commission on it.
   */
  shares: Array<{ producerId: number; goods: number }>;
}

export function commission(subtotal: number, feeBps: number): number {
  return Math.round((subtotal * feeBps) / 10_000);
}

export async function creditParts(tx: DbOrTx, parts: PartToCredit[], feeBps: number, reference: string): Promise<void> {
  for (const p of parts) {
    const shipperProducer = p.shipper.kind === 'producer' ? p.shipper.id : null;
    const goods = new Map<number, number>(shipperProducer === null ? [] : [[shipperProducer, 0]]);
    for (const s of p.shares) goods.set(s.producerId, (goods.get(s.producerId) ?? 0) + s.goods);
    const rows: Array<typeof payoutEntries.$inferInsert> = [...goods.entries()].sort(([a], [b]) => a - b).flatMap(([producerId, amount]) => [
      { producerId, orderPartId: p.partId, kind: 'credit' as const, amount: amount + (producerId === shipperProducer ? p.shippingFee : 0), reference },
      { producerId, orderPartId: p.partId, kind: 'fee' as const, amount: -commission(amount, feeBps), reference, note: `${feeBps / 100}%` },
    ]);
    // A point of sale packing the box is owed the parcel's shipping fee (no goods, so no commission).
    if (p.shipper.kind === 'point_of_sale') rows.push({ pointOfSaleId: p.shipper.id, orderPartId: p.partId, kind: 'credit', amount: p.shippingFee, reference, note: 'shipping' });
    await tx.insert(payoutEntries).values(rows).onConflictDoNothing();
  }
}

/** Undoes what was credited for these parts (refund), once. */
export async function reverseParts(tx: DbOrTx, partIds: number[], reference: string): Promise<void> {
  if (partIds.length === 0) return;
  await tx.execute(sql`
    insert into payout_entries (producer_id, point_of_sale_id, order_part_id, kind, amount, reference, note)
    select producer_id, point_of_sale_id, order_part_id, 'reversal', -sum(amount)::int, ${reference}, 'refund'
    from payout_entries
    where order_part_id in (${sql.join(partIds.map((i) => sql`${i}`), sql`, `)}) and kind in ('credit', 'fee')
    group by producer_id, point_of_sale_id, order_part_id
    on conflict do nothing`);
}

/** A bank transfer to the producer settling (part of) its balance. */
export async function recordSettlement(tx: DbOrTx, producerId: number, amount: number, reference: string): Promise<void> {
  if (!Number.isSafeInteger(amount) || amount <= 0) throw new Error('a settlement is a positive integer of đồng');
  await tx.insert(payoutEntries).values({ producerId, kind: 'settlement', amount: -amount, reference });
}

/** Records a settlement paid to the point of sale with this slug (its packing fees); false when there is no such point. */
export async function settlePointOfSale(tx: DbOrTx, pointSlug: string, amount: number, reference: string): Promise<boolean> {
  if (!Number.isSafeInteger(amount) || amount <= 0) throw new Error('a settlement is a positive integer of đồng');
  const rows = (await tx.execute(sql`select id from points_of_sale where slug = ${pointSlug}`)) as unknown as Array<{ id: number }>;
  if (!rows[0]) return false;
  await tx.insert(payoutEntries).values({ pointOfSaleId: Number(rows[0].id), kind: 'settlement', amount: -amount, reference });
  return true;
}

/** Serialises settlements of one payee (a producer's slug, or `pos:<slug>`) until the transaction ends. */
export async function lockProducerPayouts(tx: DbOrTx, producerSlug: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`payout:${producerSlug}`}))`);
}

/** Records a settlement for the producer with this slug; false when there is no such producer. */
export async function settleProducer(tx: DbOrTx, producerSlug: string, amount: number, reference: string): Promise<boolean> {
  const rows = (await tx.execute(sql`select id from producers where slug = ${producerSlug}`)) as unknown as Array<{ id: number }>;
  if (!rows[0]) return false;
  await recordSettlement(tx, Number(rows[0].id), amount, reference);
  return true;
}

export interface PayoutBalance {
  /** Who is owed: a producer, or a point of sale (the shipping fees of the gift boxes it packed). */
  payee: 'producer' | 'point_of_sale';
  producerSlug: string;
  producerName: string;
  bankBin: string | null;
  bankAccount: string | null;
  bankAccountName: string | null;
  credits: number;
  fees: number;
  reversals: number;
  settled: number;
  balance: number;
}

export async function payoutBalances(tx: DbOrTx): Promise<PayoutBalance[]> {
  const sums = sql`coalesce(sum(e.amount) filter (where e.kind = 'credit'), 0)::int as credits,
      coalesce(-sum(e.amount) filter (where e.kind = 'fee'), 0)::int as fees,
      coalesce(-sum(e.amount) filter (where e.kind = 'reversal'), 0)::int as reversals,
      coalesce(-sum(e.amount) filter (where e.kind = 'settlement'), 0)::int as settled,
      sum(e.amount)::int as balance`;
  const rows = await tx.execute(sql`
    select 'producer' as payee, pr.slug, pr.name, pr.bank_bin, pr.bank_account, pr.bank_account_name, ${sums}
    from payout_entries e join producers pr on pr.id = e.producer_id group by pr.id
    union all
    select 'point_of_sale' as payee, s.slug, s.name_vi, null, null, null, ${sums}
    from payout_entries e join points_of_sale s on s.id = e.point_of_sale_id group by s.id
    order by 1 desc, 2`);
  return (rows as unknown as Array<Record<string, unknown>>).map((r) => ({
    payee: r.payee === 'point_of_sale' ? 'point_of_sale' as const : 'producer' as const,
    producerSlug: String(r.slug), producerName: String(r.name),
    bankBin: (r.bank_bin as string | null) ?? null, bankAccount: (r.bank_account as string | null) ?? null,
    bankAccountName: (r.bank_account_name as string | null) ?? null,
    credits: Number(r.credits), fees: Number(r.fees), reversals: Number(r.reversals), settled: Number(r.settled), balance: Number(r.balance),
  }));
}

const cell = (v: string | number | null): string => {
  const s = v === null ? '' : String(v);
  // Quote always; neutralise spreadsheet formulas (CSV injection) in text cells.
  const safe = typeof v === 'string' && /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return `"${safe.replace(/"/g, '""')}"`;
};

/** The office's CSV: one row per producer with what is owed and where to send it. Amounts in đồng. */
export function payoutCsv(balances: PayoutBalance[]): string {
  const header = ['producer', 'name', 'bank_bin', 'bank_account', 'account_name', 'credits_vnd', 'fees_vnd', 'reversals_vnd', 'settled_vnd', 'balance_vnd'];
  // A point of sale (shipping fees of the gift boxes it packed) is `pos:<slug>`, never mistaken for a producer.
  const lines = balances.map((b) => [b.payee === 'point_of_sale' ? `pos:${b.producerSlug}` : b.producerSlug, b.producerName, b.bankBin, b.bankAccount, b.bankAccountName, b.credits, b.fees, b.reversals, b.settled, b.balance].map(cell).join(','));
  return `${header.join(',')}\r\n${lines.map((l) => `${l}\r\n`).join('')}`;
}

/** What each producer is owed now (the office's payments page). */
export async function currentPayoutBalances(): Promise<PayoutBalance[]> {
  return payoutBalances(await db());
}

/** The office's payout CSV from the live ledger. */
export async function payoutReportCsv(): Promise<string> {
  return payoutCsv(await payoutBalances(await db()));
}
