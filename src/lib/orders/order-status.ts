import type { DbOrTx } from '../db/index.ts';
import { enqueue } from '../outbox/index.ts';
import { insertEvent, setStatus, type OrderRow } from './orders.repository.ts';
import type { OrderStatus } from './orders.types.ts';

/**
 * The order's state machine. Moves only forward along these edges, so a late or replayed
 * notification can never take an order backwards (e.g. "expired" after "paid").
 */
export const NEXT: Record<OrderStatus, readonly OrderStatus[]> = {
  pending_payment: ['paid', 'processing', 'cancelled'],
  paid: ['processing', 'shipped', 'cancelled', 'refunded'],
  processing: ['shipped', 'cancelled', 'refunded'],
  shipped: ['delivered', 'refunded'],
  delivered: ['refunded'],
  cancelled: ['refunded'],
  refunded: [],
};

export function canMove(from: OrderStatus, to: OrderStatus): boolean {
  return NEXT[from].includes(to);
}

export const NOTIFY_TOPIC = 'orders.notify';

/**
 * A notice to the customer. `confirmation`: the order was placed; `status`: it moved to `status`;
 * `cancelled_refunded`: a refund cancelled it (one notice for both changes, not "cancelled" then
 * "refunded"); `partial_refund`: `refunded` đồng of the payment went back so far; `parcel`: one
 * producer's parcel was shipped or delivered (`parcel`), the order's own status may not have moved.
 */
export interface OrderNotification {
  publicId: string;
  /** The payment reference the order page is titled with (absent in notices queued before it was added). */
  reference?: string;
  kind: 'confirmation' | 'status' | 'cancelled_refunded' | 'partial_refund' | 'parcel';
  status: OrderStatus;
  email: string | null;
  phone: string;
  locale: string;
  total: number;
  refunded?: number;
  parcel?: { producerId: number; kind?: 'producer' | 'point_of_sale'; producer: string; status: 'shipped' | 'delivered'; carrier: string | null; trackingNumber: string | null };
}

/**
 * Queues a notice about `order` as it now is, in the caller's transaction (so never a notice for a
 * change that rolled back), at most once per order and `key`.
 */
export async function notify(tx: DbOrTx, order: OrderRow, kind: OrderNotification['kind'], key: string, extra: Pick<OrderNotification, 'refunded' | 'parcel'> = {}): Promise<void> {
  const notice: OrderNotification = {
    publicId: order.publicId, reference: order.paymentReference, kind, status: order.status,
    email: order.email, phone: order.phone, locale: order.locale, total: order.total, ...extra,
  };
  await enqueue(tx, NOTIFY_TOPIC, notice, { dedupeKey: `order:${order.id}:${key}` });
}

/**
 * Moves a locked order to `to` when the edge exists and records why; the customer is told
 * (`notice`, by default a status notice; null when the caller's own notice covers this change).
 */
export async function transition(
  tx: DbOrTx, order: OrderRow, to: OrderStatus, cause: string, actor: string,
  opts: { data?: Record<string, unknown>; notice?: OrderNotification['kind'] | null } = {},
): Promise<boolean> {
  if (!canMove(order.status, to)) return false;
  if (!(await setStatus(tx, order.id, [order.status], to))) return false;
  await insertEvent(tx, { orderId: order.id, type: 'status', fromStatus: order.status, toStatus: to, cause, actor, data: opts.data ?? null });
  order.status = to;
  const notice = opts.notice === undefined ? 'status' : opts.notice;
  if (notice) await notify(tx, order, notice, to);
  return true;
}
