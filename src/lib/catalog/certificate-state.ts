import type { CertificateState } from './catalog.types.ts';

/** Days before expiry when a certificate counts as expiring; the holder is notified then (Decision 148/QĐ-TTg). */
export const EXPIRY_NOTICE_DAYS = 30;

/** Vietnam's wall-clock time (UTC+7, no daylight saving) as ISO text without a zone: 'YYYY-MM-DDTHH:MM:SS.sss'. */
export function vietnamLocalTime(now: Date = new Date()): string {
  return new Date(now.getTime() + 7 * 3600_000).toISOString().slice(0, 23);
}

/** The date in Vietnam (UTC+7) at `now`, as YYYY-MM-DD: certificate dates are Vietnamese calendar dates, scans count Vietnamese days. */
export function todayInVietnam(now: Date = new Date()): string {
  return vietnamLocalTime(now).slice(0, 10);
}

export function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** valid / expiring / expired / revoked, derived from the stored status and the dates. */
export function certificateState(
  cert: { status: string; validUntil: string },
  today: string = todayInVietnam(),
): CertificateState {
  if (cert.status === 'revoked') return 'revoked';
  if (cert.validUntil < today) return 'expired';
  if (cert.validUntil <= addDays(today, EXPIRY_NOTICE_DAYS)) return 'expiring';
  return 'valid';
}

/** Only a valid (or expiring) certificate of 3★ or more may show the OCOP mark. */
export function showsBadge(state: CertificateState, stars: number): boolean {
  return (state === 'valid' || state === 'expiring') && stars >= 3;
}
