import { gs1CheckDigit } from '../catalog/index.ts';

/**
 * GS1 Digital Link URI syntax (1.4) for the keys this site serves: GTIN (AI 01) with its key
 * qualifiers CPV (22), batch/lot (10) and serial (21), in that order. Values are percent-decoded,
 * then checked against GS1 character set 82 and the AI's length; a GTIN-8/12/13 is accepted and
 * its canonical 14-digit form returned so the resolver can redirect.
 */
export type DigitalLinkError =
  | 'not_gtin' | 'gtin_length' | 'gtin_digits' | 'check_digit' | 'qualifier_unknown' | 'qualifier_order'
  | 'qualifier_repeated' | 'value_missing' | 'bad_encoding' | 'cset82' | 'too_long';

export interface DigitalLink {
  gtin: string; // 14 digits
  cpv?: string;
  lot?: string;
  serial?: string;
}

export type ParseResult =
  | { ok: true; link: DigitalLink; canonical: string; isCanonical: boolean }
  | { ok: false; error: DigitalLinkError; detail: string };

const QUALIFIERS: Record<string, { key: keyof DigitalLink; max: number; order: number; name: string }> = {
  '22': { key: 'cpv', max: 20, order: 1, name: 'CPV' },
  '10': { key: 'lot', max: 20, order: 2, name: 'batch/lot' },
  '21': { key: 'serial', max: 20, order: 3, name: 'serial' },
};

/** GS1 AI encodable character set 82 (GS1 General Specifications, figure 7.11-1). */
export const CSET82 = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]*$/;

/** Percent-encodes everything outside RFC 3986's unreserved set, as the URI syntax asks. */
export function encodeValue(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function buildDigitalLink(link: DigitalLink, origin = ''): string {
  let path = `/01/${link.gtin.padStart(14, '0')}`;
  if (link.cpv !== undefined) path += `/22/${encodeValue(link.cpv)}`;
  if (link.lot !== undefined) path += `/10/${encodeValue(link.lot)}`;
  if (link.serial !== undefined) path += `/21/${encodeValue(link.serial)}`;
  return origin + path;
}

/** Parses a path such as /01/08931234567890/10/AB%2F12/21/XYZ (a trailing slash is ignored). */
export function parseDigitalLink(pathname: string): ParseResult {
  const segments = pathname.replace(/\/+$/, '').split('/').slice(1);
  if (segments[0] !== '01') return { ok: false, error: 'not_gtin', detail: 'The path must start with /01/ and a GTIN' };
  const rawGtin = segments[1] ?? '';
  if (!/^\d+$/.test(rawGtin)) return { ok: false, error: 'gtin_digits', detail: 'A GTIN has digits only' };
  if (![8, 12, 13, 14].includes(rawGtin.length)) return { ok: false, error: 'gtin_length', detail: `A GTIN has 8, 12, 13 or 14 digits, not ${rawGtin.length}` };
  const expected = gs1CheckDigit(rawGtin.slice(0, -1));
  if (expected !== Number(rawGtin.at(-1))) return { ok: false, error: 'check_digit', detail: `The check digit of ${rawGtin} should be ${expected}` };
  const link: DigitalLink = { gtin: rawGtin.padStart(14, '0') };
  let lastOrder = 0;
  let isCanonical = rawGtin.length === 14;
  const rest = segments.slice(2);
  for (let i = 0; i < rest.length; i += 2) {
    const ai = rest[i]!;
    const q = QUALIFIERS[ai];
    if (!q) return { ok: false, error: 'qualifier_unknown', detail: `/${ai}/ is not a key qualifier of a GTIN (22, 10, 21)` };
    if (link[q.key] !== undefined) return { ok: false, error: 'qualifier_repeated', detail: `AI ${ai} appears twice` };
    if (q.order < lastOrder) return { ok: false, error: 'qualifier_order', detail: 'Key qualifiers come in the order 22, 10, 21' };
    lastOrder = q.order;
    const raw = rest[i + 1];
    if (raw === undefined || raw === '') return { ok: false, error: 'value_missing', detail: `AI ${ai} has no value` };
    let value: string;
    try {
      value = decodeURIComponent(raw);
    } catch {
      return { ok: false, error: 'bad_encoding', detail: `The ${q.name} is not validly percent-encoded` };
    }
    if (!CSET82.test(value)) return { ok: false, error: 'cset82', detail: `The ${q.name} has characters outside GS1 character set 82` };
    if (value.length > q.max) return { ok: false, error: 'too_long', detail: `The ${q.name} has ${value.length} characters; at most ${q.max}` };
    if (encodeValue(value) !== raw) isCanonical = false;
    (link as unknown as Record<string, string>)[q.key] = value;
  }
  return { ok: true, link, canonical: buildDigitalLink(link), isCanonical };
}

/** The stored forms a 14-digit GTIN may have been written in (GTIN-13 is the usual one here). */
export function gtinForms(gtin14: string): string[] {
  const forms = [gtin14];
  if (gtin14.startsWith('0')) forms.push(gtin14.slice(1));
  if (gtin14.startsWith('00')) forms.push(gtin14.slice(2));
  if (gtin14.startsWith('000000')) forms.push(gtin14.slice(6));
  return forms;
}
