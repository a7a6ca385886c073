/**
 * The one escaper for text placed in HTML, SVG or XML (content and quoted attribute values).
 * Most strings need nothing, so they are returned as they are after one test.
 */
const SPECIAL = /[&<>"']/;
const SPECIALS = /[&<>"']/g;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string | number | null | undefined): string {
  const s = String(value ?? '');
  return SPECIAL.test(s) ? s.replace(SPECIALS, (c) => ENTITIES[c]!) : s;
}

/** For XML documents (SVG): also drops the characters XML 1.0 forbids (controls, lone surrogates). */
export function escapeXml(value: string): string {
  return escapeHtml(value
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, ''));
}
