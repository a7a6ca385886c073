import { config } from '../config/index.ts';

/**
 * The two channels' transports. E-mail goes over SMTP with nodemailer (SMTP_URL, MAIL_FROM); SMS
 * goes through one provider interface, of which the HTTP adapter below is the first module (a
 * Zalo ZNS or a Vietnamese gateway's own API is one more `SmsProvider`). A channel without a
 * transport keeps its messages (status "stored") for /admin/messages.
 *
 * Every send carries the message's own identity — the e-mail's `Message-ID` and the SMS's
 * `reference` / `Idempotency-Key` — so that the one resend a crash can cause (delivery.ts) is
 * recognisable as the same message by mail clients and by the gateway.
 */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string | null;
  messageId: string;
  /** Non-transactional messages: List-Unsubscribe (RFC 2369) with one-click POST (RFC 8058). */
  unsubscribeUrl: string | null;
}

export interface OutgoingSms {
  to: string;
  text: string;
  reference: string;
}

/** A failure the transport says will not go away by retrying (bad address, rejected recipient). */
export class PermanentSendError extends Error {}

export interface SmsProvider {
  readonly name: string;
  send(sms: OutgoingSms): Promise<{ id: string | null }>;
}

export interface MailTransport {
  send(mail: OutgoingMail): Promise<{ id: string }>;
}

/** SMS over HTTP: POST JSON { to, text, reference } with `Authorization: Bearer SMS_API_KEY`. */
export function httpSmsProvider(url: string, apiKey: string | undefined): SmsProvider {
  return {
    name: 'http',
    async send(sms) {
      let res: Response;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'idempotency-key': sms.reference,
            ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
          },
          body: JSON.stringify(sms),
          signal: AbortSignal.timeout(10_000),
        });
      } catch (err) {
        throw new Error(`SMS gateway unreachable: ${(err as Error).message}`);
      }
      const body = await res.text();
      if (res.ok) {
        let id: string | null = null;
        try {
          const parsed = JSON.parse(body) as { id?: unknown };
          id = typeof parsed.id === 'string' || typeof parsed.id === 'number' ? String(parsed.id) : null;
        } catch { /* a gateway answering plain text still accepted the message */ }
        return { id };
      }
      const detail = `SMS gateway answered ${res.status}: ${body.slice(0, 200)}`;
      // 4xx other than 408/429: the request itself is wrong (number, key); retrying cannot help.
      if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) throw new PermanentSendError(detail);
      throw new Error(detail);
    },
  };
}

let mailer: { url: string; from: string; transport: MailTransport } | undefined;

/** The SMTP transport of SMTP_URL, created once per configuration (nodemailer pools nothing here). */
async function smtpTransport(url: string, from: string): Promise<MailTransport> {
  if (mailer && mailer.url === url && mailer.from === from) return mailer.transport;
  const nodemailer = await import('nodemailer');
  const smtp = nodemailer.createTransport(url, { from });
  const transport: MailTransport = {
    async send(mail) {
      try {
        const info = await smtp.sendMail({
          from, to: mail.to, subject: mail.subject, text: mail.text, ...(mail.html ? { html: mail.html } : {}),
          messageId: mail.messageId,
          ...(mail.unsubscribeUrl ? {
            list: { unsubscribe: mail.unsubscribeUrl },
            headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
          } : {}),
        });
        return { id: info.messageId ?? mail.messageId };
      } catch (err) {
        const e = err as Error & { responseCode?: number; code?: string };
        // 5xx on the recipient or the message: permanent (RFC 5321); connection trouble and 4xx: later.
        if (typeof e.responseCode === 'number' && e.responseCode >= 500 && e.responseCode < 600) throw new PermanentSendError(e.message);
        throw err;
      }
    },
  };
  mailer = { url, from, transport };
  return transport;
}

export interface Transports {
  email: MailTransport | null;
  sms: SmsProvider | null;
}

const KEY = Symbol.for('cho-ocop.messages.transports');
const holder = globalThis as { [KEY]?: Partial<Transports> };

/** Tests and other modules may plug a transport in (e.g. a Zalo ZNS provider for SMS). */
export function setTransport<K extends keyof Transports>(channel: K, transport: Transports[K]): void {
  (holder[KEY] ??= {})[channel] = transport;
}

export function channelConfigured(channel: keyof Transports): boolean {
  const set = holder[KEY]?.[channel];
  if (set !== undefined) return set !== null;
  return channel === 'email' ? Boolean(config().SMTP_URL) : Boolean(config().SMS_URL);
}

export async function transportFor<K extends keyof Transports>(channel: K): Promise<Transports[K]> {
  const set = holder[KEY]?.[channel];
  if (set !== undefined) return set;
  const cfg = config();
  if (channel === 'email') return (cfg.SMTP_URL ? await smtpTransport(cfg.SMTP_URL, cfg.MAIL_FROM) : null) as Transports[K];
  return (cfg.SMS_URL ? httpSmsProvider(cfg.SMS_URL, cfg.SMS_API_KEY) : null) as Transports[K];
}
