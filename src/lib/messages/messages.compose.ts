import { selectProducerContacts, type ProducerContacts } from '../catalog/index.ts';
import type { DbOrTx } from '../db/index.ts';
import { normalizeVietnamesePhone } from '../orders/index.ts';
import type { Locale } from '../i18n/index.ts';
import { insertMessage, selectOptedOut, selectPreferences } from './messages.repository.ts';
import { render, type MessageContent } from './messages.templates.ts';
import { channelConfigured } from './messages.transports.ts';
import { unsubscribeUrl } from './messages.links.ts';

/**
 * Turns "this happened" into message rows, one per recipient and channel, inside the caller's
 * transaction. A row's `dedupe_key` names its cause, recipient and channel, so composing the same
 * cause again (an outbox message delivered twice, a job run on two instances) adds nothing.
 *
 * Status at creation: `queued` when the channel has a transport, `stored` when it has none (the
 * embedded default: kept for /admin/messages), `suppressed` for a non-transactional message to an
 * address that unsubscribed.
 */
export type Channel = 'email' | 'sms';
export type Audience = 'customer' | 'producer' | 'office';

export interface Recipient {
  channel: Channel;
  address: string;
}

export interface Compose {
  kind: string;
  audience: Audience;
  locale: Locale;
  /** Transactional: about an order the person placed (no unsubscribe); anything else may be declined. */
  transactional: boolean;
  /** Names the cause; the recipient and channel are appended. */
  cause: string;
  /** What the message is about, for the log's search (an order's public id, a product slug…). */
  ref: string | null;
  content: MessageContent;
}

export function normalizeAddress(r: Recipient): Recipient | null {
  if (r.channel === 'email') {
    const a = r.address.trim().toLowerCase();
    return /^[^\s@]+@[^\s@]+$/.test(a) && a.length <= 254 ? { channel: 'email', address: a } : null;
  }
  const phone = normalizeVietnamesePhone(r.address);
  return phone ? { channel: 'sms', address: phone } : null;
}

/** Queues the message to each recipient; returns how many rows were new. */
export async function queueMessages(tx: DbOrTx, recipients: Recipient[], m: Compose): Promise<number> {
  const unique = new Map<string, Recipient>();
  for (const r of recipients) {
    const n = normalizeAddress(r);
    if (n) unique.set(`${n.channel}:${n.address}`, n);
  }
  const list = [...unique.values()];
  const optedOut = m.transactional ? new Set<string>() : await selectOptedOut(tx, list.map((r) => r.address));
  let created = 0;
  for (const r of list) {
    const unsubscribe = m.transactional ? null : unsubscribeUrl(r.address, m.locale);
    const out = render(m.locale, m.content, r.channel === 'email' ? unsubscribe : null);
    const status = optedOut.has(r.address) ? 'suppressed' : channelConfigured(r.channel) ? 'queued' : 'stored';
    const isNew = await insertMessage(tx, {
      kind: m.kind, audience: m.audience, channel: r.channel, recipient: r.address, locale: m.locale,
      subject: out.subject, bodyText: r.channel === 'email' ? out.text : out.sms, bodyHtml: r.channel === 'email' ? out.html : null,
      transactional: m.transactional, dedupeKey: `${m.cause}:${r.channel}:${r.address}`, ref: m.ref, status,
    });
    if (isNew) created++;
  }
  return created;
}

/** A customer is reached by e-mail when they gave one, else by SMS to the order's phone. */
export function customerRecipients(c: { email: string | null; phone: string }): Recipient[] {
  return c.email ? [{ channel: 'email', address: c.email }] : [{ channel: 'sms', address: c.phone }];
}

/** A producer's recipients on the channels it chose (e-mail by default: its address and its accounts'). */
export async function producerRecipients(tx: DbOrTx, producer: ProducerContacts): Promise<Recipient[]> {
  const prefs = await selectPreferences(tx, producer.id);
  const out: Recipient[] = [];
  if (prefs.email) for (const e of [producer.email, ...producer.accounts]) if (e) out.push({ channel: 'email', address: e });
  if (prefs.sms && producer.phone) out.push({ channel: 'sms', address: producer.phone });
  return out;
}

export async function producerById(tx: DbOrTx, by: { id: number } | { slug: string }): Promise<ProducerContacts | null> {
  return selectProducerContacts(tx, by);
}
