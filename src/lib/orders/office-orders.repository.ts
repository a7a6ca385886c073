import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/index.ts';

/** The office's order desk: orders with their latest payment, filtered. */
export interface OfficeOrderRow {
  public_id: string;
  status: string;
  payment_method: string;
  customer_name: string;
  phone: string;
  province_code: string;
  total: number;
  payment_reference: string;
  created_at: Date;
  payment_status: string | null;
  paid_at: Date | null;
  parts: number;
  /** A bank-transfer refund is due (a `refund_required` event) and not recorded yet. */
  refund_due: boolean;
}

export interface OfficeOrderFilter {
  status?: string;
  method?: string;
  /** Awaiting the office: VietQR transfers or COD cash not yet confirmed. */
  awaiting?: boolean;
  /** Awaiting a bank-transfer refund by the office. */
  refundDue?: boolean;
  q?: string;
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

const REFUND_DUE = sql`(o.payment_method = 'vietqr' and pay.status = 'succeeded'
  and exists (select 1 from order_events e where e.order_id = o.id and e.type = 'refund_required'))`;

export async function selectOfficeOrders(db: DbOrTx, f: OfficeOrderFilter): Promise<{ rows: OfficeOrderRow[]; total: number }> {
  const like = f.q ? `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const where = sql`where true
    ${f.status ? sql`and o.status = ${f.status}` : sql``}
    ${f.method ? sql`and o.payment_method = ${f.method}` : sql``}
    ${f.awaiting ? sql`and o.payment_method in ('vietqr','cod') and o.status not in ('cancelled','refunded') and coalesce(pay.status, 'pending') = 'pending'` : sql``}
    ${f.refundDue ? sql`and ${REFUND_DUE}` : sql``}
    ${like ? sql`and (o.public_id ilike ${like} or o.payment_reference ilike ${like} or o.phone ilike ${like} or o.customer_name ilike ${like})` : sql``}
    ${f.from ? sql`and o.created_at >= (${f.from}::date)::timestamp at time zone 'Asia/Ho_Chi_Minh'` : sql``}
    ${f.to ? sql`and o.created_at < ((${f.to}::date + 1)::timestamp at time zone 'Asia/Ho_Chi_Minh')` : sql``}`;
  const from = sql`from orders o left join lateral (select status, paid_at from payments where order_id = o.id order by id desc limit 1) pay on true`;
  const rows = (await db.execute(sql`select o.public_id, o.status, o.payment_method, o.customer_name, o.phone, o.province_code, o.total,
      o.payment_reference, o.created_at, pay.status as payment_status, pay.paid_at,
      (select count(*)::int from order_parts p where p.order_id = o.id) as parts, ${REFUND_DUE} as refund_due
    ${from} ${where} order by o.created_at desc, o.id desc limit ${f.limit} offset ${f.offset}`)) as unknown as OfficeOrderRow[];
  const count = (await db.execute(sql`select count(*)::int as n ${from} ${where}`)) as unknown as Array<{ n: number }>;
  return { rows, total: Number(count[0]?.n ?? 0) };
}
