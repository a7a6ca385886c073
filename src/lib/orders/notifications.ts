import { log } from '../log/index.ts';
import { registerOutboxHandler } from '../outbox/index.ts';
import { NOTIFY_TOPIC, type OrderNotification } from './order-status.ts';
import { EXPIRE_TOPIC } from './orders.service.ts';
import { CLOSE_TOPIC, closeGatewayPayment, expireLapsedOrders, processRefund, REFUND_TOPIC } from './payment-lifecycle.ts';
import { sweepCarts } from './cart.service.ts';

/**
 * Order notices (confirmation, status changes) are written to the outbox with the change and
 * delivered afterwards by a pluggable sender, so an e-mail or SMS gateway that is slow or down
 * never blocks or fails the customer's request. The default sender logs.
 */
export type NotificationSender = (notice: OrderNotification) => Promise<void>;

const KEY = Symbol.for('cho-ocop.orders.sender');
const holder = globalThis as { [KEY]?: NotificationSender };

export const logSender: NotificationSender = async (n) => {
  log.info('order notification', { order: n.publicId, kind: n.kind, status: n.status, to: n.email ?? n.phone.replace(/\d(?=\d{3})/g, '*'), locale: n.locale });
};

export function setNotificationSender(sender: NotificationSender): void {
  holder[KEY] = sender;
}

/** Registers the orders area's outbox consumers: notices, the reservation sweeper, late-payment refunds. */
export function registerOrderHandlers(): void {
  registerOutboxHandler(NOTIFY_TOPIC, async (messages) => {
    const send = holder[KEY] ?? logSender;
    for (const m of messages) await send(m.payload as OrderNotification);
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
