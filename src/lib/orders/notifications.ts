import { createT, formatVnd, isLocale } from '../i18n/index.ts';
import { registerOutboxHandler } from '../outbox/index.ts';
import type { OrderNotification } from './order-status.ts';
import { EXPIRE_TOPIC } from './orders.service.ts';
import { CLOSE_TOPIC, closeGatewayPayment, expireLapsedOrders, processRefund, REFUND_TOPIC } from './payment-lifecycle.ts';
import { sweepCarts } from './cart.service.ts';

/**
 * Order notices (confirmation, status changes, parcels, refunds) are written to the outbox (topic
 * `orders.notify`, order-status.ts) with the change; lib/messages consumes them and sends the
 * customer's e-mail or SMS afterwards, so a gateway that is slow or down never blocks the request.
 * noticeText is the one-line form of a notice (logs, tests).
 */

/** The notice as the customer reads it (SMS-sized), in the order's language. */
export function noticeText(n: OrderNotification): string {
  const locale = isLocale(n.locale) ? n.locale : 'vi';
  const t = createT(locale);
  const order = n.reference ?? n.publicId;
  const total = formatVnd(n.total, locale);
  switch (n.kind) {
    case 'confirmation':
      return t('orders.notify.confirmation', { order, total, status: t(`orders.order.status.${n.status}`) });
    case 'cancelled_refunded':
      return t('orders.notify.cancelledRefunded', { order, total });
    case 'partial_refund':
      return t('orders.notify.partialRefund', { order, total, refunded: formatVnd(n.refunded ?? 0, locale) });
    default:
      return t('orders.notify.status', { order, status: t(`orders.order.status.${n.status}`) });
  }
}

/** Registers the orders area's outbox consumers: the reservation sweeper, late-payment refunds (notices: lib/messages). */
export function registerOrderHandlers(): void {
  // Each message is due when one order's hold lapses; the sweep releases every lapsed order, so a
  // message lost or early changes nothing.
  registerOutboxHandler(EXPIRE_TOPIC, async () => {
    await expireLapsedOrders();
    await sweepCarts();
  });
  registerOutboxHandler(CLOSE_TOPIC, async (messages) => {
    for (const m of messages) await closeGatewayPayment(m.payload as { provider: string; providerRef: string });
  });
  registerOutboxHandler(REFUND_TOPIC, async (messages) => {
    for (const m of messages) {
      const payload = m.payload as { paymentId: number; cause?: string };
      await processRefund(payload.paymentId, payload.cause);
    }
  });
}
