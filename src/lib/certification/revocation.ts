import type { Locale } from '../i18n/index.ts';
import { createT } from '../i18n/index.ts';

/**
 * Why a certificate was revoked, as a code from a fixed list (the cases of ocop-rules.md) with a
 * label in Vietnamese and English, plus an optional free-text note by the office. English pages
 * show the label only: the note is typed in Vietnamese and stays on the Vietnamese pages and the
 * back office. A revocation without a code (recorded before codes existed) reads as "other".
 */
export const REVOCATION_CODES = [
  'packaging_label', 'quality', 'process', 'food_safety', 'records', 'mandatory_criteria', 'expired_no_reevaluation', 'ceased_operating', 'other',
] as const;
export type RevocationCode = (typeof REVOCATION_CODES)[number];

export function isRevocationCode(v: unknown): v is RevocationCode {
  return typeof v === 'string' && (REVOCATION_CODES as readonly string[]).includes(v);
}

export function revocationLabel(code: string | null, locale: Locale): string {
  return createT(locale)(`certificate.revocation.${isRevocationCode(code) ? code : 'other'}`);
}

/** The reason as a visitor reads it: the label, and in Vietnamese the office's note after it. */
export function revocationText(code: string | null, note: string | null, locale: Locale): string | null {
  if (!code && !note) return null;
  if (locale === 'en' || !note) return revocationLabel(code, locale);
  return code && code !== 'other' ? `${revocationLabel(code, locale)} — ${note}` : note;
}

/** Both languages, for JSON answers read in either. */
export function revocationJson(code: string | null, note: string | null) {
  if (!code && !note) return null;
  return { code: isRevocationCode(code) ? code : 'other', label: { vi: revocationLabel(code, 'vi'), en: revocationLabel(code, 'en') }, note };
}
