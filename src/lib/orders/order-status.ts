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

export interface OrderNotification {
  publicId: string;
  kind: 'confirmation' | 'status';
  status: OrderStatus;
  email: string | null;
  phone: string;
  locale: string;
  total: number;
}

export function notification(order: OrderRow, kind: OrderNotification['kind'], status: OrderStatus): OrderNotification {
  return { publicId: order.publicId, kind, status, email: order.email, phone: order.phone, locale: order.locale, total: order.total };
}

/**
 * Moves a locked order to `to` when the edge exists and records why; the customer is notified
 * through the outbox (same transaction, so never a notice for a change that rolled back).
 */
export async function transition(tx: DbOrTx, order: OrderRow, to: OrderStatus, cause: string, actor: string, data?: Record<string, unknown>): Promise<boolean> {
  if (!canMove(order.status, to)) return false;
  if (!(await setStatus(tx, order.id, [order.status], to))) return false;
  await insertEvent(tx, { orderId: order.id, type: 'status', fromStatus: order.status, toStatus: to, cause, actor, data: data ?? null });
  await enqueue(tx, NOTIFY_TOPIC, notification(order, 'status', to), { dedupeKey: `order:${order.id}:${to}` });
  order.status = to;
  return true;
}
