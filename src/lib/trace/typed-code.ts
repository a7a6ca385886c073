import { normalizeStampCode, stampSecret, verifyStampCode } from '../stamps/index.ts';

/** What someone typed on /verify: a code to open, or why not (no database needed for either). */
export function checkTypedCode(input: string): { ok: true; code: string } | { ok: false; reason: 'empty' | 'format' | 'check' } {
  const trimmed = input.trim();
  if (!trimmed) return { ok: false, reason: 'empty' };
  // A whole scanned URL pasted in: take its last path segment.
  const last = trimmed.replace(/[?#].*$/, '').split('/').filter(Boolean).pop() ?? '';
  const code = normalizeStampCode(/^https?:/i.test(trimmed) ? last : trimmed);
  if (!code) return { ok: false, reason: 'format' };
  if (!verifyStampCode(code, stampSecret())) return { ok: false, reason: 'check' };
  return { ok: true, code };
}
