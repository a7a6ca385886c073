import { selectNoticeSubject } from '../catalog/index.ts';
import { EXPIRY_NOTICE_TOPIC } from '../certification/index.ts';
import { db as getDb, type DbOrTx } from '../db/index.ts';
import { getOrderView, NOTIFY_TOPIC, type OrderNotification, type OrderView } from '../orders/index.ts';
import { registerOutboxHandler, type OutboxMessage } from '../outbox/index.ts';
import { customerRecipients, producerById, producerRecipients, queueMessages } from './messages.compose.ts';
import { customerOrderNotice, expiryNotice, parcelNotice, recallNotice, reportNotice } from './messages.notices.ts';

/**
 * Outbox consumers: each message of a change becomes message rows (one per recipient and channel,
 * deduplicated by cause), which the delivery worker sends. The topics:
 *
 * - `orders.notify` (orders): the customer's notices; on a confirmed order (cash on delivery
 *   placed, or paid) each producer's "new parcel to fulfil";
 * - `certificate.expiry_notice` (certification): the producer's 90- and 30-day notices;
 * - `lot.recalled` { lotId, productId, producerId, reason, at } and
 *   `report.received` { reportId, productId, producerId, category } (the office's recalls and the
 *   public's reports): the producer's notice.
 */
export const RECALL_TOPIC = 'lot.recalled';
export const REPORT_TOPIC = 'report.received';

/**
 * One transaction per message, using only `tx` inside: on the embedded database a query on another
 * connection would wait for this transaction to end (one backend), so reads through other modules'
 * services (getOrderView) happen before it (`prepare`).
 */
async function each<T, P = null>(messages: OutboxMessage[], fn: (tx: DbOrTx, payload: T, m: OutboxMessage, prepared: P) => Promise<void>, prepare?: (payload: T) => Promise<P>): Promise<void> {
  const d = await getDb();
  for (const m of messages) {
    const prepared = prepare ? await prepare(m.payload as T) : (null as P);
    await d.transaction((tx) => fn(tx, m.payload as T, m, prepared));
  }
}

/** "A new parcel to fulfil" to each producer of a confirmed order, once per order and producer. */
async function queueParcelNotices(tx: DbOrTx, view: OrderView): Promise<void> {
  for (const part of view.parts) {
    if (part.status === 'cancelled') continue;
    const producer = await producerById(tx, { slug: part.producer.slug });
    if (!producer) continue;
    await queueMessages(tx, await producerRecipients(tx, producer), {
      kind: 'producer.parcel', audience: 'producer', locale: 'vi', transactional: false, cause: `parcel:${view.publicId}:${producer.id}`, ref: view.publicId,
      content: parcelNotice({ reference: view.reference, publicId: view.publicId }, producer.name, part.items.map((i) => `${i.name.vi} × ${i.qty}`)),
    });
  }
}

async function onOrderNotice(tx: DbOrTx, n: OrderNotification, m: OutboxMessage, view: OrderView | null): Promise<void> {
  const notice = customerOrderNotice(n, view, view?.customer.name ?? null);
  if (notice) {
    await queueMessages(tx, customerRecipients(n), {
      kind: notice.kind, audience: 'customer', locale: n.locale === 'en' ? 'en' : 'vi', transactional: true,
      cause: `orders.notify:${m.id}`, ref: n.publicId, content: notice.content,
    });
  }
  const confirmed = (n.kind === 'confirmation' && n.status !== 'pending_payment') || (n.kind === 'status' && n.status === 'paid');
  if (confirmed && view) await queueParcelNotices(tx, view);
}

interface ExpiryPayload { certificateId: number; number: string; stars: number; validUntil: string; daysBefore?: number; product: { slug: string; name: string }; producer: { slug: string } }
interface RecallPayload { lotId: number; productId: number; producerId: number; reason: string; at: string }
interface ReportPayload { reportId: number; productId: number; producerId: number; category: string }

export function registerMessageHandlers(): void {
  registerOutboxHandler(NOTIFY_TOPIC, (messages) => each<OrderNotification, OrderView | null>(messages, onOrderNotice, (n) => getOrderView(n.publicId)));

  registerOutboxHandler(EXPIRY_NOTICE_TOPIC, (messages) => each<ExpiryPayload>(messages, async (tx, c) => {
    const producer = await producerById(tx, { slug: c.producer.slug });
    if (!producer) return;
    const days = c.daysBefore ?? 30;
    await queueMessages(tx, await producerRecipients(tx, producer), {
      kind: 'producer.certificate_expiry', audience: 'producer', locale: 'vi', transactional: false,
      cause: `certificate.expiry:${c.certificateId}:${days}`, ref: c.product.slug,
      content: expiryNotice({ number: c.number, stars: c.stars, validUntil: c.validUntil, product: c.product.name, days }),
    });
  }));

  // A recall and a public report concern the product's safety: sent on the producer's channels
  // whatever it unsubscribed from (transactional).
  registerOutboxHandler(RECALL_TOPIC, (messages) => each<RecallPayload>(messages, async (tx, r) => {
    const [producer, subject] = [await producerById(tx, { id: Number(r.producerId) }), await selectNoticeSubject(tx, Number(r.productId), Number(r.lotId))];
    if (!producer || !subject.product) return;
    await queueMessages(tx, await producerRecipients(tx, producer), {
      kind: 'producer.recall', audience: 'producer', locale: 'vi', transactional: true, cause: `lot.recalled:${r.lotId}:${r.at}`, ref: subject.product.slug,
      content: recallNotice({ product: subject.product.nameVi, lot: subject.lot?.code ?? String(r.lotId), reason: String(r.reason ?? '') }),
    });
  }));

  registerOutboxHandler(REPORT_TOPIC, (messages) => each<ReportPayload>(messages, async (tx, r) => {
    const [producer, subject] = [await producerById(tx, { id: Number(r.producerId) }), await selectNoticeSubject(tx, Number(r.productId))];
    if (!producer || !subject.product) return;
    await queueMessages(tx, await producerRecipients(tx, producer), {
      kind: 'producer.report', audience: 'producer', locale: 'vi', transactional: true, cause: `report.received:${r.reportId}`, ref: subject.product.slug,
      content: reportNotice({ product: subject.product.nameVi, category: String(r.category ?? '') }),
    });
  }));
}
