import { isUnavailable } from '../errors/index.ts';
import type { Locale } from '../i18n/index.ts';
import { log } from '../log/index.ts';
import { normalizeStampCode, publicOrigin } from '../stamps/index.ts';
import { coarseClient, isPreviewBot, localeFromAcceptLanguage } from './client-info.ts';
import { networkPrefix } from '../http/client-address.ts';
import { SHELL_CSP, esc, renderShell } from './page-shell.ts';
import { traceLot, traceStamp } from './provenance.ts';
import { renderProvenancePage } from './provenance.template.ts';

/**
 * GET/HEAD /t/<code> and /en/t/<code>, independent of any framework: scripts/start.ts answers
 * these straight from node:http (the hot path of every scan), and the Astro route
 * src/pages/t/[code].ts calls the same function, so there is one implementation.
 */
export interface TraceRequest {
  method: string;
  pathname: string;
  search: URLSearchParams;
  acceptLanguage: string | null;
  userAgent: string | null;
  ip: string | null;
  /** Set when the path had the /en prefix. */
  forcedLocale?: Locale;
}

export interface TraceReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const PATH = /^(\/en)?\/t\/([^/]{1,80})\/?$/;

/** The code in a /t/<code> path (either language), or null when the path is something else. */
export function matchTracePath(pathname: string): { en: boolean; raw: string } | null {
  const m = PATH.exec(pathname);
  if (!m) return null;
  let raw: string;
  try {
    raw = decodeURIComponent(m[2]!);
  } catch {
    raw = m[2]!;
  }
  if (raw === 'lot') return null;
  return { en: !!m[1], raw };
}

function pageLocale(req: TraceRequest, en: boolean): Locale {
  if (en || req.forcedLocale === 'en') return 'en';
  const lang = req.search.get('lang');
  if (lang === 'vi' || lang === 'en') return lang;
  return localeFromAcceptLanguage(req.acceptLanguage);
}

function headers(locale: Locale, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    vary: 'Accept-Language',
    'content-language': locale,
    'content-security-policy': SHELL_CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
    ...extra,
  };
}

export async function handleTracePage(req: TraceRequest): Promise<TraceReply> {
  const match = matchTracePath(req.pathname);
  if (!match) {
    // Not a code at all (e.g. longer than any code once percent-encoded): the "unknown" page, a 404.
    const locale = pageLocale(req, req.pathname.startsWith('/en/'));
    return { status: 404, headers: headers(locale), body: renderProvenancePage({ locale, origin: publicOrigin(), provenance: null, code: '' }) };
  }
  const locale = pageLocale(req, match.en);
  const normal = normalizeStampCode(match.raw);
  // Typed or scanned in another form (lower case, dashes): send to the one canonical URL.
  if (normal && normal !== match.raw) {
    const q = req.search.toString();
    return { status: 301, headers: { location: `${match.en ? '/en' : ''}/t/${normal}${q ? `?${q}` : ''}`, 'cache-control': 'public, max-age=86400' }, body: '' };
  }
  const pin = req.search.get('pin');
  // Only a person opening the page is a scan: not HEAD, not link previews, not the language switch or PIN result.
  const record = req.method === 'GET' && !isPreviewBot(req.userAgent) && !req.search.has('lang') && !pin;
  try {
    const result = await traceStamp(match.raw, record
      ? { network: networkPrefix(req.ip), client: coarseClient(req.userAgent), language: locale, source: req.search.get('src') === 'typed' ? 'typed' : req.search.get('src') === 'dl' ? 'digital_link' : 'qr' }
      : undefined);
    const origin = publicOrigin();
    if (!result.found) {
      return { status: 404, headers: headers(locale), body: renderProvenancePage({ locale, origin, provenance: null, code: result.code ?? match.raw.slice(0, 40) }) };
    }
    return { status: 200, headers: headers(locale), body: renderProvenancePage({ locale, origin, provenance: result.provenance, sections: result.sections(locale), pin: pin as never }) };
  } catch (error) {
    return failure(error, locale);
  }
}

/** /t/lot/<id>: a lot's page (the target of a GS1 Digital Link to a lot). */
export async function handleLotPage(lotId: number, locale: Locale): Promise<TraceReply> {
  try {
    const p = await traceLot(lotId);
    if (!p) return { status: 404, headers: headers(locale), body: renderProvenancePage({ locale, origin: publicOrigin(), provenance: null }) };
    return { status: 200, headers: headers(locale), body: renderProvenancePage({ locale, origin: publicOrigin(), provenance: p }) };
  } catch (error) {
    return failure(error, locale);
  }
}

function failure(error: unknown, locale: Locale): TraceReply {
  const unavailable = isUnavailable(error);
  if (!unavailable) log.error('trace page failed', { error: error instanceof Error ? error.stack : String(error) });
  const title = locale === 'vi' ? 'Tạm thời không kiểm tra được' : 'Cannot check right now';
  const text = locale === 'vi' ? 'Máy chủ đang bận hoặc gặp sự cố. Vui lòng quét lại sau ít phút.' : 'The server is busy or having trouble. Please scan again in a few minutes.';
  return { status: unavailable ? 503 : 500, headers: headers(locale, unavailable ? { 'retry-after': '5' } : {}), body: renderShell({ locale, title, body: `<section class="v warn"><p class="mark">${esc(title)}</p><p>${esc(text)}</p></section>`, noindex: true }) };
}

/** For the node:http fast path: is this request ours? */
export function isTraceRequest(method: string | undefined, url: string | undefined): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  if (!url || !(url.startsWith('/t/') || url.startsWith('/en/t/'))) return false;
  const q = url.indexOf('?');
  return matchTracePath(q === -1 ? url : url.slice(0, q)) !== null;
}

