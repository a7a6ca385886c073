import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/index.ts';
import type { OrderStatus } from './orders.types.ts';

/** Orders read for messages (lib/messages): "find my order", VietQR reminders, the office digest. */
export interface OrderSummary {
  publicId: string;
  reference: string;
  status: OrderStatus;
  paymentMethod: 'cod' | 'vietqr' | 'card';
  customerName: string;
  email: string | null;
  phone: string;
  locale: 'vi' | 'en';
  total: number;
  createdAt: Date;
  reservedUntil: Date | null;
}

const SUMMARY = sql`select public_id as "publicId", payment_reference as reference, status, payment_method as "paymentMethod",
  customer_name as "customerName", email, phone, locale, total, created_at as "createdAt", reserved_until as "reservedUntil" from orders`;

function summaries(rows: unknown): OrderSummary[] {
  return (rows as Array<Record<string, unknown>>).map((r) => ({
    publicId: String(r.publicId), reference: String(r.reference), status: r.status as OrderStatus,
    paymentMethod: r.paymentMethod as OrderSummary['paymentMethod'], customerName: String(r.customerName),
    email: (r.email as string | null) ?? null, phone: String(r.phone), locale: r.locale === 'en' ? 'en' : 'vi',
    total: Number(r.total), createdAt: new Date(String(r.createdAt)), reservedUntil: r.reservedUntil ? new Date(String(r.reservedUntil)) : null,
  }));
}

/** The latest orders placed with this e-mail (any case) or this normalised phone number. */
export async function selectOrdersByContact(db: DbOrTx, contact: { email: string } | { phone: string }, limit = 20): Promise<OrderSummary[]> {
  const where = 'email' in contact ? sql`lower(email) = ${contact.email.toLowerCase()}` : sql`phone = ${contact.phone}`;
  return summaries(await db.execute(sql`${SUMMARY} where ${where} order by created_at desc, id desc limit ${limit}`));
}

/** Unpaid bank-transfer orders still held at `now` whose hold lapses before `before` (all of them without a bound), soonest first. */
export async function selectAwaitingTransfer(db: DbOrTx, now: Date, before: Date | null, limit = 500): Promise<OrderSummary[]> {
  return summaries(await db.execute(sql`${SUMMARY}
    where status = 'pending_payment' and payment_method = 'vietqr' and reserved_until > ${now.toISOString()}
      ${before ? sql`and reserved_until <= ${before.toISOString()}` : sql``}
    order by reserved_until, id limit ${limit}`));
}

/** How many orders were placed since `since`. */
export async function countOrdersSince(db: DbOrTx, since: Date): Promise<number> {
  const rows = (await db.execute(sql`select count(*)::int as n from orders where created_at >= ${since.toISOString()}`)) as unknown as Array<{ n: number }>;
  return Number(rows[0]?.n ?? 0);
}
