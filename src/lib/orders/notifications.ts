import { createT, formatVnd, isLocale } from '../i18n/index.ts';
import { log } from '../log/index.ts';
import { registerOutboxHandler } from '../outbox/index.ts';
import { NOTIFY_TOPIC, type OrderNotification } from './order-status.ts';
import { EXPIRE_TOPIC } from './orders.service.ts';
import { CLOSE_TOPIC, closeGatewayPayment, expireLapsedOrders, processRefund, REFUND_TOPIC } from './payment-lifecycle.ts';
import { sweepCarts } from './cart.service.ts';

/**
 * Order notices (confirmation, status changes, refunds) are written to the outbox with the change
 * and delivered afterwards by a pluggable sender, with their text in the customer's language, so
 * an e-mail or SMS gateway that is slow or down never blocks or fails the customer's request. The
 * default sender logs.
 */
export type NotificationSender = (notice: OrderNotification, text: string) => Promise<void>;

const KEY = Symbol.for('cho-ocop.orders.sender');
const holder = globalThis as { [KEY]?: NotificationSender };

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

export const logSender: NotificationSender = async (n, text) => {
  log.info('order notification', { order: n.publicId, kind: n.kind, status: n.status, to: n.email ?? n.phone.replace(/\d(?=\d{3})/g, '*'), locale: n.locale, text });
};

export function setNotificationSender(sender: NotificationSender): void {
  holder[KEY] = sender;
}

/** Registers the orders area's outbox consumers: notices, the reservation sweeper, late-payment refunds. */
export function registerOrderHandlers(): void {
  registerOutboxHandler(NOTIFY_TOPIC, async (messages) => {
    const send = holder[KEY] ?? logSender;
    for (const m of messages) await send(m.payload as OrderNotification, noticeText(m.payload as OrderNotification));
  });
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
    for (const m of messages) await processRefund((m.payload as { paymentId: number }).paymentId);
  });
}
