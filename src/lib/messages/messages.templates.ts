import { escapeHtml } from '../http/escape.ts';
import { createT, type Locale, type Translator } from '../i18n/index.ts';

/**
 * One shape for every message, rendered three ways: the e-mail's text part, its HTML part and the
 * SMS (short: the subject, the facts that matter and the link). Builders in messages.compose.ts
 * fill it with translated strings, so every message exists in Vietnamese and English.
 */
export interface MessageContent {
  subject: string;
  greeting: string;
  paragraphs: string[];
  facts: Array<[label: string, value: string]>;
  /** Lines of a list (order links, digest lines). */
  lines: string[];
  action: { label: string; url: string } | null;
  /** Facts that also go into the SMS (e.g. bank account and amount). */
  smsFacts: number;
}

export interface Rendered {
  subject: string;
  text: string;
  html: string;
  sms: string;
}

export function content(t: Translator, partial: Partial<MessageContent> & { subject: string }): MessageContent {
  return { greeting: t('msg.greeting.anon'), paragraphs: [], facts: [], lines: [], action: null, smsFacts: 0, ...partial };
}

/** The footer differs: transactional mail says why it came; anything else offers to unsubscribe. */
export function render(locale: Locale, c: MessageContent, unsubscribeUrl: string | null): Rendered {
  const t = createT(locale);
  const footer = unsubscribeUrl ? t('msg.footer.unsubscribe', { url: unsubscribeUrl }) : null;
  const text = [
    c.greeting, '',
    ...c.paragraphs.flatMap((p) => [p, '']),
    ...(c.facts.length ? [...c.facts.map(([k, v]) => `${k}: ${v}`), ''] : []),
    ...(c.lines.length ? [...c.lines.map((l) => `- ${l}`), ''] : []),
    ...(c.action ? [`${c.action.label}: ${c.action.url}`, ''] : []),
    '-- ', t('msg.signature'),
    ...(footer ? ['', footer] : []),
  ].join('\n');
  const html = `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(c.subject)}</title></head>
<body style="margin:0;padding:0;background:#f6f4ef;font-family:Arial,Helvetica,sans-serif;color:#1f2a24">
<div style="max-width:560px;margin:0 auto;padding:24px 16px">
<p style="font-weight:bold;color:#2f6b3a;margin:0 0 16px">Chợ OCOP</p>
<div style="background:#fff;border-radius:8px;padding:20px">
<p>${escapeHtml(c.greeting)}</p>
${c.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}
${c.facts.length ? `<table role="presentation" style="border-collapse:collapse;margin:12px 0">${c.facts.map(([k, v]) => `<tr><td style="padding:4px 12px 4px 0;color:#5b665f;vertical-align:top">${escapeHtml(k)}</td><td style="padding:4px 0;font-weight:bold">${escapeHtml(v)}</td></tr>`).join('')}</table>` : ''}
${c.lines.length ? `<ul>${c.lines.map((l) => `<li>${linkify(l)}</li>`).join('')}</ul>` : ''}
${c.action ? `<p style="margin:20px 0"><a href="${escapeHtml(c.action.url)}" style="background:#2f6b3a;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none;display:inline-block">${escapeHtml(c.action.label)}</a></p><p style="font-size:12px;color:#5b665f;word-break:break-all">${escapeHtml(c.action.url)}</p>` : ''}
</div>
<p style="font-size:12px;color:#5b665f">${escapeHtml(t('msg.signature'))}</p>
${unsubscribeUrl ? `<p style="font-size:12px;color:#5b665f"><a href="${escapeHtml(unsubscribeUrl)}" style="color:#5b665f">${escapeHtml(t('msg.footer.unsubscribeLink'))}</a></p>` : ''}
</div></body></html>`;
  const sms = [c.subject, ...c.facts.slice(0, c.smsFacts).map(([k, v]) => `${k}: ${v}`), ...(c.action ? [c.action.url] : c.lines.slice(0, 3))].join('\n');
  return { subject: c.subject, text, html, sms };
}

/** List lines may end with a URL (order links): make it a link in the HTML part. */
function linkify(line: string): string {
  const m = /^(.*?)(https?:\/\/\S+)$/.exec(line);
  if (!m) return escapeHtml(line);
  return `${escapeHtml(m[1]!)}<a href="${escapeHtml(m[2]!)}">${escapeHtml(m[2]!)}</a>`;
}
