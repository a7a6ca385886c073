import { config } from '../config/index.ts';
import { db as getDb } from '../db/index.ts';
import { AppError } from '../errors/index.ts';
import { networkPrefix } from '../http/index.ts';
import type { Locale } from '../i18n/index.ts';
import { normalizeVietnamesePhone, selectOrdersByContact } from '../orders/index.ts';
import { hit } from '../ratelimit/index.ts';
import { selectProducerContacts } from '../catalog/index.ts';
import { queueMessages, type Recipient } from './messages.compose.ts';
import { orderLinksNotice } from './messages.notices.ts';
import { deleteOptOuts, insertOptOut, selectMessages, selectOptedOut, selectPreferences, upsertPreferences, type MessageRow } from './messages.repository.ts';
import { channelConfigured } from './messages.transports.ts';
import { verifyUnsubscribeToken } from './messages.links.ts';
import { MESSAGE_AUDIENCES, MESSAGE_CHANNELS, MESSAGE_STATUSES } from './messages.table.ts';

/** What the pages call: the office's message log, find my order, a producer's channels, unsubscribing. */
const PAGE = 50;

export interface MessageLogFilter {
  status?: string | null;
  channel?: string | null;
  audience?: string | null;
  q?: string | null;
  page?: number;
}

const oneOf = <T extends string>(list: readonly T[], v: string | null | undefined): T | undefined => (list.includes(v as T) ? (v as T) : undefined);

export async function listMessages(f: MessageLogFilter): Promise<{ rows: MessageRow[]; page: number; more: boolean }> {
  const page = Math.max(1, Math.min(10_000, Math.trunc(f.page ?? 1) || 1));
  const rows = await selectMessages(await getDb(), {
    status: oneOf(MESSAGE_STATUSES, f.status), channel: oneOf(MESSAGE_CHANNELS, f.channel), audience: oneOf(MESSAGE_AUDIENCES, f.audience),
    q: f.q?.trim().slice(0, 100) || undefined, limit: PAGE + 1, offset: (page - 1) * PAGE,
  });
  return { rows: rows.slice(0, PAGE), page, more: rows.length > PAGE };
}

export function transportStatus(): { email: boolean; sms: boolean } {
  return { email: channelConfigured('email'), sms: channelConfigured('sms') };
}

/** A phone number or an e-mail address, as typed on /orders. */
export function parseContact(input: unknown): { email: string } | { phone: string } | null {
  if (typeof input !== 'string') return null;
  const v = input.trim();
  if (v.length === 0 || v.length > 254) return null;
  if (v.includes('@')) return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v) ? { email: v.toLowerCase() } : null;
  const phone = normalizeVietnamesePhone(v);
  return phone ? { phone } : null;
}

const HOUR_MS = 3_600_000;

/**
 * "Find my order": sends the links of the latest orders placed with this phone or e-mail to that
 * phone or e-mail, never to the page; the answer is the same whether anything matched. Limited per
 * client network (ORDER_LOOKUPS_PER_NETWORK_HOUR) and per address (5 an hour), so the form can be
 * used neither to flood someone's inbox nor to probe which contacts have ordered.
 */
export async function requestOrderLinks(input: unknown, ctx: { clientAddress: string | null; locale: Locale }): Promise<{ contact: string }> {
  const contact = parseContact(input);
  if (!contact) throw new AppError('INVALID_DATA', 'messages.lookup_invalid', 'Enter a phone number or an e-mail address.', { fields: { contact: 'lookup_invalid' } });
  const d = await getDb();
  const limit = config().ORDER_LOOKUPS_PER_NETWORK_HOUR;
  const address = 'email' in contact ? contact.email : contact.phone;
  if (limit > 0) {
    const net = await hit(d, `orders:lookup:${networkPrefix(ctx.clientAddress) ?? 'unknown'}`, { limit, windowMs: HOUR_MS });
    if (!net.allowed) throw new AppError('RATE_LIMITED', 'messages.lookup_limited', 'Too many requests.', { details: { retryAfter: net.retryAfter } });
    const to = await hit(d, `orders:lookup:to:${address}`, { limit: 5, windowMs: HOUR_MS });
    if (!to.allowed) return { contact: address }; // same answer: the address already got its links
  }
  const found = await selectOrdersByContact(d, contact, 20);
  if (found.length > 0) {
    const recipient: Recipient = 'email' in contact ? { channel: 'email', address: contact.email } : { channel: 'sms', address: contact.phone };
    await queueMessages(d, [recipient], {
      kind: 'order.links', audience: 'customer', locale: ctx.locale, transactional: true,
      cause: `order.links:${Date.now()}:${Math.random().toString(36).slice(2, 8)}`, ref: found[0]!.publicId, content: orderLinksNotice(ctx.locale, found),
    });
  }
  return { contact: address };
}

export interface ProducerChannels {
  email: boolean;
  sms: boolean;
  emailAddress: string | null;
  phone: string | null;
  optedOut: boolean;
}

export async function getProducerChannels(producerId: number): Promise<ProducerChannels> {
  const d = await getDb();
  const [prefs, contacts] = [await selectPreferences(d, producerId), await selectProducerContacts(d, { id: producerId })];
  const emailAddress = contacts?.email ?? contacts?.accounts[0] ?? null;
  const optedOut = emailAddress ? (await selectOptedOut(d, [emailAddress.toLowerCase()])).size > 0 : false;
  return { ...prefs, emailAddress, phone: contacts?.phone ?? null, optedOut };
}

/** Saves a producer's channels; choosing e-mail again takes its addresses off the unsubscribed list. */
export async function saveProducerChannels(producerId: number, form: { email: boolean; sms: boolean }): Promise<void> {
  const d = await getDb();
  await d.transaction(async (tx) => {
    await upsertPreferences(tx, producerId, form);
    if (form.email) {
      const contacts = await selectProducerContacts(tx, { id: producerId });
      await deleteOptOuts(tx, [contacts?.email, ...(contacts?.accounts ?? [])].filter((e): e is string => !!e).map((e) => e.toLowerCase()));
    }
  });
}

/** The address an unsubscribe link stands for (null: forged or cut short). */
export function unsubscribeAddress(token: string | null | undefined): string | null {
  return verifyUnsubscribeToken(token);
}

/** One-click unsubscribe: idempotent; the address receives no more non-transactional messages. */
export async function unsubscribe(token: string | null | undefined): Promise<string | null> {
  const address = verifyUnsubscribeToken(token);
  if (!address) return null;
  await insertOptOut(await getDb(), address);
  return address;
}
