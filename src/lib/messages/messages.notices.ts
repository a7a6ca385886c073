import { createT, formatDate, formatDateTime, formatVnd, type Locale } from '../i18n/index.ts';
import type { OrderNotification, OrderSummary, OrderView } from '../orders/index.ts';
import { content, type MessageContent } from './messages.templates.ts';
import { orderUrl, siteUrl } from './messages.links.ts';

/**
 * What each message says, in the recipient's language. Pure functions of the facts (no database):
 * the handlers and jobs (messages.handlers.ts, messages.jobs.ts) read the facts and queue the result.
 */
const greet = (t: ReturnType<typeof createT>, name: string | null | undefined) => (name ? t('msg.greeting', { name }) : t('msg.greeting.anon'));

function transferFacts(t: ReturnType<typeof createT>, locale: Locale, q: NonNullable<OrderView['payment']['vietqr']>): Array<[string, string]> {
  return [
    [t('msg.fact.bank'), q.bank], [t('msg.fact.account'), q.account], [t('msg.fact.accountName'), q.accountName],
    [t('msg.fact.amount'), formatVnd(q.amount, locale)], [t('msg.fact.content'), q.reference],
  ];
}

/** The customer's notice about an order change, or null for changes that need none (processing, order-level shipped/delivered: parcels say it). */
export function customerOrderNotice(n: OrderNotification, view: OrderView | null, customerName: string | null): { kind: string; content: MessageContent } | null {
  const locale: Locale = n.locale === 'en' ? 'en' : 'vi';
  const t = createT(locale);
  const order = n.reference ?? n.publicId;
  const total = formatVnd(n.total, locale);
  const action = { label: t('msg.viewOrder'), url: orderUrl(n.publicId, locale) };
  const base = { greeting: greet(t, customerName), action };
  if (n.kind === 'confirmation') {
    const q = view?.payment.vietqr;
    const paragraphs = [t('msg.order.received.intro', { order, total })];
    let facts: Array<[string, string]> = [[t('msg.fact.order'), order], [t('msg.fact.total'), total]];
    let smsFacts = 0;
    if (q) {
      paragraphs.push(t('msg.order.received.vietqr', { deadline: view?.reservedUntil ? formatDateTime(view.reservedUntil, locale) : '—' }));
      facts = transferFacts(t, locale, q);
      if (view?.reservedUntil) facts.push([t('msg.fact.deadline'), formatDateTime(view.reservedUntil, locale)]);
      smsFacts = 5;
    } else if (view?.payment.method === 'cod') paragraphs.push(t('msg.order.received.cod'));
    else if (view?.payment.method === 'card') paragraphs.push(t('msg.order.received.card'));
    if (view) facts.push([t('msg.fact.items'), view.parts.flatMap((p) => p.items.map((i) => `${i.name[locale]} × ${i.qty}`)).join(', ')]);
    return { kind: 'order.received', content: content(t, { ...base, subject: t('msg.order.received.subject', { order }), paragraphs, facts, smsFacts }) };
  }
  if (n.kind === 'parcel' && n.parcel) {
    const shipped = n.parcel.status === 'shipped';
    const producer = n.parcel.producer;
    const facts: Array<[string, string]> = [[t('msg.fact.producer'), producer]];
    if (shipped) facts.push([t('msg.fact.carrier'), n.parcel.carrier ?? t('msg.unknownCarrier')], ...(n.parcel.trackingNumber ? [[t('msg.fact.tracking'), n.parcel.trackingNumber] as [string, string]] : []));
    return {
      kind: shipped ? 'order.shipped' : 'order.delivered',
      content: content(t, {
        ...base, subject: t(shipped ? 'msg.order.shipped.subject' : 'msg.order.delivered.subject', { order }),
        paragraphs: [t(shipped ? 'msg.order.shipped.intro' : 'msg.order.delivered.intro', { order, producer })], facts, smsFacts: shipped ? 3 : 0,
      }),
    };
  }
  if (n.kind === 'cancelled_refunded') {
    return { kind: 'order.refunded', content: content(t, { ...base, subject: t('msg.order.cancelledRefunded.subject', { order }), paragraphs: [t('msg.order.cancelledRefunded.intro', { order, total })] }) };
  }
  if (n.kind === 'partial_refund') {
    const refunded = formatVnd(n.refunded ?? 0, locale);
    return { kind: 'order.refunded', content: content(t, { ...base, subject: t('msg.order.partialRefund.subject', { order }), paragraphs: [t('msg.order.partialRefund.intro', { order, total, refunded })] }) };
  }
  if (n.kind === 'status') {
    if (n.status === 'paid') return { kind: 'order.paid', content: content(t, { ...base, subject: t('msg.order.paid.subject', { order }), paragraphs: [t('msg.order.paid.intro', { order, total })] }) };
    if (n.status === 'cancelled') return { kind: 'order.cancelled', content: content(t, { ...base, subject: t('msg.order.cancelled.subject', { order }), paragraphs: [t('msg.order.cancelled.intro', { order, total })] }) };
    if (n.status === 'refunded') return { kind: 'order.refunded', content: content(t, { ...base, subject: t('msg.order.refunded.subject', { order }), paragraphs: [t('msg.order.refunded.intro', { order, total })] }) };
  }
  return null;
}

/** The VietQR reminder: the order is still unpaid and its hold lapses soon. */
export function reminderNotice(o: OrderSummary, view: OrderView): MessageContent | null {
  const q = view.payment.vietqr;
  if (!q || !o.reservedUntil) return null;
  const t = createT(o.locale);
  const deadline = formatDateTime(o.reservedUntil, o.locale);
  return content(t, {
    greeting: greet(t, o.customerName), subject: t('msg.order.reminder.subject', { order: o.reference }),
    paragraphs: [t('msg.order.reminder.intro', { order: o.reference, deadline })],
    facts: [...transferFacts(t, o.locale, q), [t('msg.fact.deadline'), deadline]], smsFacts: 6,
    action: { label: t('msg.viewOrder'), url: orderUrl(o.publicId, o.locale) },
  });
}

/** "Find my order": the links, never shown on the page, only sent to the address they were placed with. */
export function orderLinksNotice(locale: Locale, orders: OrderSummary[]): MessageContent {
  const t = createT(locale);
  return content(t, {
    subject: t('msg.order.links.subject'),
    paragraphs: [t('msg.order.links.intro')],
    lines: orders.map((o) => `${t('msg.order.links.line', { order: o.reference, date: formatDate(o.createdAt, locale), total: formatVnd(o.total, locale), status: t(`orders.order.status.${o.status}`) })} — ${orderUrl(o.publicId, locale)}`),
  });
}

const dashboard = (path = '/dashboard') => ({ label: createT('vi')('msg.openDashboard'), url: siteUrl(path, 'vi') });

/** Producers read their notices in Vietnamese (the dashboard's language by default). */
export function parcelNotice(order: { reference: string; publicId: string }, producer: string, items: string[]): MessageContent {
  const t = createT('vi');
  return content(t, {
    subject: t('msg.producer.parcel.subject', { order: order.reference }), paragraphs: [t('msg.producer.parcel.intro', { order: order.reference, producer })],
    facts: [[t('msg.fact.order'), order.reference], [t('msg.fact.items'), items.join(', ')]], smsFacts: 2, action: dashboard(),
  });
}

export function lowStockNotice(product: string, stock: number, slug: string): MessageContent {
  const t = createT('vi');
  return content(t, {
    subject: t('msg.producer.lowStock.subject', { product }), paragraphs: [t('msg.producer.lowStock.intro', { product, stock: String(stock) })],
    facts: [[t('msg.fact.product'), product], [t('msg.fact.stock'), String(stock)]], smsFacts: 2, action: dashboard(`/dashboard/products/${slug}`),
  });
}

export function expiryNotice(c: { number: string; stars: number; validUntil: string; product: string; days: number }): MessageContent {
  const t = createT('vi');
  const date = formatDate(c.validUntil, 'vi');
  return content(t, {
    subject: t('msg.producer.expiry.subject', { product: c.product, days: String(c.days) }),
    paragraphs: [t('msg.producer.expiry.intro', { number: c.number, stars: String(c.stars), product: c.product, date })],
    facts: [[t('msg.fact.certificate'), c.number], [t('msg.fact.validUntil'), date]], smsFacts: 2, action: dashboard(),
  });
}

export function recallNotice(c: { product: string; lot: string; reason: string }): MessageContent {
  const t = createT('vi');
  return content(t, {
    subject: t('msg.producer.recall.subject', { product: c.product, lot: c.lot }), paragraphs: [t('msg.producer.recall.intro', { product: c.product, lot: c.lot })],
    facts: [[t('msg.fact.product'), c.product], [t('msg.fact.lot'), c.lot], [t('msg.fact.reason'), c.reason]], smsFacts: 3, action: dashboard('/dashboard/lots'),
  });
}

export function reportNotice(c: { product: string; category: string }): MessageContent {
  const t = createT('vi');
  return content(t, {
    subject: t('msg.producer.report.subject', { product: c.product }), paragraphs: [t('msg.producer.report.intro', { product: c.product })],
    facts: [[t('msg.fact.product'), c.product], [t('msg.fact.category'), c.category]], smsFacts: 2, action: dashboard(),
  });
}

export interface DigestFacts {
  date: string;
  awaiting: OrderSummary[];
  newOrders: number;
  expiring: Array<{ number: string; product: string; validUntil: string }>;
}

export function digestNotice(d: DigestFacts): MessageContent {
  const t = createT('vi');
  const date = formatDate(d.date, 'vi');
  return content(t, {
    subject: t('msg.office.digest.subject', { date }),
    paragraphs: [
      t('msg.office.digest.intro', { date }), t('msg.office.digest.newOrders', { count: String(d.newOrders) }),
      t('msg.office.digest.awaiting', { count: String(d.awaiting.length) }), t('msg.office.digest.expiring', { count: String(d.expiring.length) }),
    ],
    lines: [
      ...d.awaiting.slice(0, 50).map((o) => t('msg.office.digest.orderLine', { order: o.reference, total: formatVnd(o.total, 'vi'), date: formatDateTime(o.createdAt, 'vi') })),
      ...d.expiring.slice(0, 50).map((c) => t('msg.office.digest.certLine', { number: c.number, product: c.product, date: formatDate(c.validUntil, 'vi') })),
    ],
    action: { label: t('msg.openDashboard'), url: siteUrl('/admin', 'vi') },
  });
}
