import crypto from 'node:crypto';
import { escapeHtml } from '../http/escape.ts';
import { createT, type Locale } from '../i18n/index.ts';

/**
 * The lean page shell of the trace pages (/t/<code>, lots, Digital Link errors): a few KB of
 * server-rendered HTML with its stylesheet inline (allowed by hash in the CSP), no script, so a
 * slow phone shows the verdict from the first response.
 */
export const esc = escapeHtml;

const CSS = `:root{--b:#0f5132;--bs:#e6f2ea;--w:#7c2d12;--ws:#ffedd5;--d:#991b1b;--ds:#fee2e2;--m:#57534e;--l:#d6d3d1;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;line-height:1.5;color:#1c1917;background:#faf8f3}
*{box-sizing:border-box}body{margin:0}a{color:var(--b)}img{max-width:100%;height:auto;display:block}
header,main,footer{max-width:42rem;margin:0 auto;padding:.75rem 1rem}header{display:flex;justify-content:space-between;align-items:center;gap:1rem}
.logo{font-weight:700;text-decoration:none;font-size:1.1rem}h1{font-size:1.5rem;margin:.2rem 0 .5rem;line-height:1.25}h2{font-size:1.15rem;margin:0 0 .5rem}
section{background:#fff;border:1px solid var(--l);border-radius:.5rem;padding:1rem;margin:0 0 1rem}
.v{border-width:2px}.v p:last-child{margin-bottom:0}.ok{background:var(--bs);border-color:#86c69c;color:#0a3b24}.warn{background:var(--ws);border-color:#fdba74;color:var(--w)}
.bad{background:var(--ds);border-color:#fca5a5;color:var(--d)}.alert{background:var(--d);color:#fff;border-color:var(--d)}.alert a{color:#fff}
.mark{font-size:1.35rem;font-weight:700;margin:0 0 .25rem}dl{display:grid;grid-template-columns:minmax(0,2fr) minmax(0,3fr);gap:.3rem 1rem;margin:0}
dt{color:var(--m)}dd{margin:0;overflow-wrap:anywhere}.prod{display:grid;grid-template-columns:6rem 1fr;gap:1rem;align-items:start}
.stars{color:#92400e;background:#fef3c7;border-radius:999px;padding:.1rem .6rem;font-weight:700;white-space:nowrap}
ol{list-style:none;padding:0;margin:0}li{border-left:3px solid var(--b);padding:0 0 .75rem .75rem;margin-left:.25rem}li.x{border-color:var(--l);color:var(--m)}
li.x .what{text-decoration:line-through}.when{color:var(--m);font-size:.9rem}.small{font-size:.9rem;color:var(--m)}
.code{font-family:ui-monospace,monospace;letter-spacing:.05em;overflow-wrap:anywhere}.btn{display:inline-block;background:var(--b);color:#fff;padding:.6rem 1rem;border-radius:.5rem;text-decoration:none;font-weight:600}
form{display:flex;gap:.5rem;flex-wrap:wrap}input{font:inherit;padding:.5rem;border:1px solid var(--m);border-radius:.4rem;min-width:9rem}button{font:inherit;padding:.5rem 1rem;border:0;border-radius:.4rem;background:var(--b);color:#fff}
:focus-visible{outline:3px solid #1d4ed8;outline-offset:2px}`;

export const SHELL_CSP = `default-src 'none'; img-src 'self' data:; style-src 'sha256-${crypto.createHash('sha256').update(CSS).digest('base64')}'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`;

export interface ShellInput {
  locale: Locale;
  title: string;
  body: string;
  /** Links to this page in each language (the switch and hreflang alternates). */
  alternates?: { vi: string; en: string };
  canonical?: string;
  noindex?: boolean;
}

export function renderShell(p: ShellInput): string {
  const t = createT(p.locale);
  const other: Locale = p.locale === 'vi' ? 'en' : 'vi';
  const home = p.locale === 'vi' ? '/' : '/en';
  const verify = p.locale === 'vi' ? '/verify' : '/en/verify';
  const alt = p.alternates;
  return `<!doctype html><html lang="${p.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`
    + `<title>${esc(p.title)} · ${esc(t('site.name'))}</title>${p.noindex ? '<meta name="robots" content="noindex">' : ''}`
    + (p.canonical ? `<link rel="canonical" href="${esc(p.canonical)}">` : '')
    + (alt ? `<link rel="alternate" hreflang="vi" href="${esc(alt.vi)}"><link rel="alternate" hreflang="en" href="${esc(alt.en)}">` : '')
    + `<link rel="icon" href="/favicon.svg" type="image/svg+xml"><meta name="theme-color" content="#0f5132"><style>${CSS}</style></head><body>`
    + `<header><a class="logo" href="${home}">${esc(t('site.name'))}</a>`
    + (alt ? `<a href="${esc(alt[other])}" hreflang="${other}" lang="${other}">${esc(t('trace.switchLanguage'))}</a>` : '')
    + `</header><main>${p.body}</main><footer class="small"><a href="${verify}">${esc(t('trace.verifyAnother'))}</a> · ${esc(t('footer.noTracking'))}</footer></body></html>`;
}
