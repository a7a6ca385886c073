import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/index.ts';
import { messages, messageOptOuts, messagePreferences } from './messages.table.ts';

export type MessageRow = typeof messages.$inferSelect;
export type NewMessage = typeof messages.$inferInsert;

/** Inserts the message unless one with its dedupe key exists; true when it is new. */
export async function insertMessage(db: DbOrTx, row: NewMessage): Promise<boolean> {
  const rows = await db.insert(messages).values(row).onConflictDoNothing({ target: messages.dedupeKey }).returning({ id: messages.id });
  return rows.length > 0;
}

const ROW = sql`id, kind, audience, channel, recipient, locale, subject, body_text as "bodyText", body_html as "bodyHtml",
  transactional, dedupe_key as "dedupeKey", ref, status, attempts, next_attempt_at as "nextAttemptAt", claimed_until as "claimedUntil",
  uncertain_sends as "uncertainSends", provider_message_id as "providerMessageId", last_error as "lastError", created_at as "createdAt", sent_at as "sentAt"`;

function rowsOf(result: unknown): MessageRow[] {
  return (result as Array<Record<string, unknown>>).map((r) => ({
    ...(r as unknown as MessageRow),
    id: Number(r.id), attempts: Number(r.attempts), uncertainSends: Number(r.uncertainSends),
    nextAttemptAt: new Date(String(r.nextAttemptAt)), createdAt: new Date(String(r.createdAt)),
    claimedUntil: r.claimedUntil ? new Date(String(r.claimedUntil)) : null, sentAt: r.sentAt ? new Date(String(r.sentAt)) : null,
  }));
}

/**
 * Claims up to `limit` due messages for `leaseSeconds`: queued ones whose time has come, and ones
 * left "sending" by a worker whose lease ran out (it died between sending and recording). The
 * claim counts an attempt, and for a stale "sending" row an uncertain send, in the same statement.
 */
export async function claimDue(db: DbOrTx, limit: number, leaseSeconds: number): Promise<Array<MessageRow & { wasStale: boolean }>> {
  const claimed = (await db.execute(sql`
    with due as (
      select id, status = 'sending' as stale from messages
      where (status = 'queued' and next_attempt_at <= now()) or (status = 'sending' and claimed_until < now())
      order by next_attempt_at, id limit ${limit} for update skip locked)
    update messages m set status = 'sending', claimed_until = now() + make_interval(secs => ${leaseSeconds}),
      attempts = m.attempts + 1, uncertain_sends = m.uncertain_sends + case when due.stale then 1 else 0 end
    from due where m.id = due.id
    returning m.id, due.stale`)) as unknown as Array<{ id: number; stale: boolean }>;
  if (claimed.length === 0) return [];
  const stale = new Map(claimed.map((c) => [Number(c.id), Boolean(c.stale)]));
  const rows = rowsOf(await db.execute(sql`select ${ROW} from messages where id in (${sql.join([...stale.keys()].map((id) => sql`${id}`), sql`, `)}) order by id`));
  return rows.map((r) => ({ ...r, wasStale: stale.get(r.id) ?? false }));
}

export async function markSent(db: DbOrTx, id: number, providerId: string | null): Promise<void> {
  await db.execute(sql`update messages set status = 'sent', sent_at = now(), claimed_until = null, provider_message_id = ${providerId}, last_error = null
    where id = ${id} and status = 'sending'`);
}

export async function markRetry(db: DbOrTx, id: number, error: string, delaySeconds: number): Promise<void> {
  await db.execute(sql`update messages set status = 'queued', claimed_until = null, last_error = ${error.slice(0, 1000)},
    next_attempt_at = now() + make_interval(secs => ${delaySeconds}) where id = ${id} and status = 'sending'`);
}

export async function markFailed(db: DbOrTx, id: number, error: string): Promise<void> {
  await db.execute(sql`update messages set status = 'failed', claimed_until = null, last_error = ${error.slice(0, 1000)}
    where id = ${id} and status = 'sending'`);
}

export interface MessageFilter {
  status?: string;
  channel?: string;
  audience?: string;
  q?: string;
  limit: number;
  offset: number;
}

export async function selectMessages(db: DbOrTx, f: MessageFilter): Promise<MessageRow[]> {
  const q = f.q ? `%${f.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%` : null;
  return rowsOf(await db.execute(sql`select ${ROW} from messages where true
    ${f.status ? sql`and status = ${f.status}` : sql``}
    ${f.channel ? sql`and channel = ${f.channel}` : sql``}
    ${f.audience ? sql`and audience = ${f.audience}` : sql``}
    ${q ? sql`and (recipient ilike ${q} or ref ilike ${q} or subject ilike ${q})` : sql``}
    order by created_at desc, id desc limit ${f.limit} offset ${f.offset}`));
}

export async function selectMessagesTo(db: DbOrTx, recipient: string): Promise<MessageRow[]> {
  return rowsOf(await db.execute(sql`select ${ROW} from messages where recipient = ${recipient} order by id`));
}

export async function selectPreferences(db: DbOrTx, producerId: number): Promise<{ email: boolean; sms: boolean }> {
  const rows = await db.select({ email: messagePreferences.email, sms: messagePreferences.sms }).from(messagePreferences)
    .where(sql`${messagePreferences.producerId} = ${producerId}`);
  return rows[0] ?? { email: true, sms: false };
}

export async function upsertPreferences(db: DbOrTx, producerId: number, p: { email: boolean; sms: boolean }): Promise<void> {
  await db.insert(messagePreferences).values({ producerId, ...p, updatedAt: new Date() })
    .onConflictDoUpdate({ target: messagePreferences.producerId, set: { ...p, updatedAt: new Date() } });
}

export async function insertOptOut(db: DbOrTx, address: string): Promise<void> {
  await db.insert(messageOptOuts).values({ address }).onConflictDoNothing();
}

export async function deleteOptOuts(db: DbOrTx, addresses: string[]): Promise<void> {
  if (addresses.length === 0) return;
  await db.execute(sql`delete from message_opt_outs where address in (${sql.join(addresses.map((a) => sql`${a}`), sql`, `)})`);
}

export async function selectOptedOut(db: DbOrTx, addresses: string[]): Promise<Set<string>> {
  if (addresses.length === 0) return new Set();
  const rows = (await db.execute(sql`select address from message_opt_outs where address in (${sql.join(addresses.map((a) => sql`${a}`), sql`, `)})`)) as unknown as Array<{ address: string }>;
  return new Set(rows.map((r) => r.address));
}

/** Low-stock bookkeeping: products already told about, and forgetting those restocked above the threshold. */
export async function claimLowStockNotice(db: DbOrTx, productId: number, stock: number): Promise<boolean> {
  const rows = (await db.execute(sql`insert into low_stock_notices (product_id, stock) values (${productId}, ${stock})
    on conflict (product_id) do nothing returning product_id`)) as unknown as unknown[];
  return rows.length > 0;
}

export async function forgetRestocked(db: DbOrTx, threshold: number): Promise<void> {
  await db.execute(sql`delete from low_stock_notices n using products p where p.id = n.product_id and p.stock > ${threshold}`);
}
