import crypto from 'node:crypto';
import { config } from '../config/index.ts';
import { localePath, type Locale } from '../i18n/index.ts';
import { stampSecret } from '../stamps/index.ts';

/**
 * Links inside messages: absolute URLs on PUBLIC_BASE_URL (else this server), and the signed
 * one-click unsubscribe link, which works without signing in and cannot be forged for another
 * address (HMAC-SHA256 under the server secret, STAMP_SECRET or its generated copy in DATA_DIR).
 */
export function siteOrigin(): string {
  const cfg = config();
  return (cfg.PUBLIC_BASE_URL ?? `http://localhost:${cfg.PORT}`).replace(/\/+$/, '');
}

export function siteUrl(path: string, locale: Locale): string {
  return `${siteOrigin()}${localePath(path, locale)}`;
}

export function orderUrl(publicId: string, locale: Locale): string {
  return siteUrl(`/orders/${publicId}`, locale);
}

/** The Message-ID of a message row: the same on every attempt, so a resend is recognisably the same message. */
export function messageIdFor(id: number, createdAt?: Date): string {
  const host = (() => {
    const from = /@([^>\s]+)>?\s*$/.exec(config().MAIL_FROM)?.[1];
    return from ?? new URL(siteOrigin()).hostname;
  })();
  return `<msg-${id}${createdAt ? `-${createdAt.getTime().toString(36)}` : ''}@${host}>`;
}

function signature(address: string): string {
  return crypto.createHmac('sha256', stampSecret()).update(`messages.unsubscribe\n${address}`).digest('base64url').slice(0, 32);
}

/** `<base64url address>.<signature>`. */
export function unsubscribeToken(address: string): string {
  return `${Buffer.from(address, 'utf8').toString('base64url')}.${signature(address)}`;
}

/** The address a token stands for, or null when it is malformed or its signature does not match. */
export function verifyUnsubscribeToken(token: string | null | undefined): string | null {
  if (!token || token.length > 600) return null;
  const m = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{32})$/.exec(token.trim());
  if (!m) return null;
  const address = Buffer.from(m[1]!, 'base64url').toString('utf8');
  const expected = Buffer.from(signature(address));
  const given = Buffer.from(m[2]!);
  return expected.length === given.length && crypto.timingSafeEqual(expected, given) ? address : null;
}

export function unsubscribeUrl(address: string, locale: Locale): string {
  return `${siteUrl('/unsubscribe', locale)}?t=${unsubscribeToken(address)}`;
}
