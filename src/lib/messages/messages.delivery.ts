import { db as getDb } from '../db/index.ts';
import { log } from '../log/index.ts';
import { startPoller, type Poller } from '../outbox/index.ts';
import { claimDue, markFailed, markRetry, markSent, type MessageRow } from './messages.repository.ts';
import { PermanentSendError, transportFor } from './messages.transports.ts';
import { messageIdFor, unsubscribeUrl } from './messages.links.ts';

/**
 * Sends what is due, outside any transaction, and records each outcome:
 *
 * - success → `sent` with the provider's id;
 * - a failure that may pass (connection refused, 4xx, timeout) → `queued` again after an
 *   exponential backoff (30 s, 1, 2, 4 … minutes, at most 1 hour), up to MAX_ATTEMPTS, then `failed`;
 * - a permanent refusal (5xx to the recipient, a 4xx from the SMS gateway) → `failed` at once.
 *
 * Never twice: a message is claimed (status `sending`, a lease of LEASE_SECONDS) before it is sent,
 * with FOR UPDATE SKIP LOCKED, so two workers never hold it at once. The one window left is a crash
 * after the transport accepted the message and before `sent` was written: the lease then runs out
 * and the message is claimed again as an *uncertain* send. It is sent again at most once
 * (`uncertain_sends` = 1), with the same Message-ID (SMS: the same reference and Idempotency-Key),
 * so mail clients and the gateway see one message; a second uncertain claim marks it `failed`
 * ("may have been sent") instead of sending a third copy. A customer therefore never receives more
 * than two copies, and a second copy only after a crash in that window.
 */
export const LEASE_SECONDS = 120;
export const MAX_ATTEMPTS = 10;
const BATCH = 20;

export function backoffSeconds(attempts: number): number {
  return Math.min(3600, 30 * 2 ** Math.max(0, attempts - 1));
}

async function sendOne(m: MessageRow): Promise<string | null> {
  if (m.channel === 'email') {
    const mail = await transportFor('email');
    if (!mail) throw new PermanentSendError('no e-mail transport configured');
    const r = await mail.send({
      to: m.recipient, subject: m.subject, text: m.bodyText, html: m.bodyHtml, messageId: messageIdFor(m.id, m.createdAt),
      unsubscribeUrl: m.transactional ? null : unsubscribeUrl(m.recipient, m.locale),
    });
    return r.id;
  }
  const sms = await transportFor('sms');
  if (!sms) throw new PermanentSendError('no SMS transport configured');
  return (await sms.send({ to: m.recipient, text: m.bodyText, reference: `msg-${m.id}` })).id;
}

/** One pass: claims due messages and sends them; returns how many were handled. */
export async function deliverDue(): Promise<number> {
  const d = await getDb();
  let handled = 0;
  for (;;) {
    const due = await claimDue(d, BATCH, LEASE_SECONDS);
    if (due.length === 0) return handled;
    for (const m of due) {
      if (m.wasStale && m.uncertainSends > 1) {
        await markFailed(d, m.id, 'delivery uncertain: a worker stopped twice while sending; not sent again (it may have been sent)');
        continue;
      }
      try {
        await markSent(d, m.id, await sendOne(m));
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        if (err instanceof PermanentSendError || m.attempts >= MAX_ATTEMPTS) {
          log.warn('message failed', { id: m.id, channel: m.channel, error: message });
          await markFailed(d, m.id, message);
        } else {
          log.info('message delayed', { id: m.id, channel: m.channel, attempts: m.attempts, error: message });
          await markRetry(d, m.id, message, backoffSeconds(m.attempts));
        }
      }
    }
    handled += due.length;
    if (due.length < BATCH) return handled;
  }
}

export type MessageWorker = Poller;

/** Polls for due messages every `intervalMs`; a failing pass (database away) backs off up to 10 s. */
export function startMessageWorker(intervalMs = 500): MessageWorker {
  return startPoller('message worker', deliverDue, { intervalMs: () => intervalMs, maxBackoffMs: 10_000 });
}
