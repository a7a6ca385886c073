import { createT, type Locale, type MessageKey } from '../i18n/index.ts';
import { db as database } from '../db/index.ts';
import { normalizeStampCode, stampSecret, verifyStampCode } from '../stamps/index.ts';
import { localeFromAcceptLanguage } from './client-info.ts';
import { buildDigitalLink, gtinForms, parseDigitalLink, type DigitalLink } from './digital-link.ts';
import { SHELL_CSP, esc, renderShell } from './page-shell.ts';
import { selectByGtin, selectStampLot } from './trace.repository.ts';
import type { TraceReply } from './handler.ts';

/**
 * A GS1-Conformant resolver (1.2) for this site's GTINs: /01/<gtin14>[/10/<lot>][/21/<serial>].
 * Without a link type it redirects (307) to the default link; `?linkType=gs1:…` picks a link
 * (the default when that type is not offered); `?linkType=linkset` or
 * `Accept: application/linkset+json` answers the RFC 9264 linkset. Every answer lists the links
 * in a `Link` header. GET, HEAD and OPTIONS, open to any origin (CORS).
 */
export const GS1_VOC = 'https://gs1.org/voc/';

export interface ResolverLink {
  rel: string; // e.g. gs1:pip
  href: string;
  title: string;
  type: string;
  hreflang: Locale;
}

export const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, HEAD, OPTIONS',
  'access-control-allow-headers': 'Accept, Accept-Language',
  'access-control-expose-headers': 'Link, Location, Content-Type',
} as const;

interface Target {
  link: DigitalLink;
  product: { slug: string; name: { vi: string; en: string } };
  lotId: number | null;
  code: string | null;
}

export function linksFor(target: Target, origin: string): ResolverLink[] {
  const links: ResolverLink[] = [];
  const both = (rel: string, path: (l: Locale) => string, key: MessageKey, type = 'text/html') => {
    for (const l of ['vi', 'en'] as const) links.push({ rel, href: origin + path(l), title: createT(l)(key as never, { product: target.product.name[l] } as never), type, hreflang: l });
  };
  const prefix = (l: Locale) => (l === 'en' ? '/en' : '');
  if (target.code) both('gs1:traceability', (l) => `${prefix(l)}/t/${target.code}`, 'trace.link.stamp');
  if (target.lotId !== null) {
    both('gs1:traceability', (l) => `${prefix(l)}/t/lot/${target.lotId}`, 'trace.link.lot');
    links.push({ rel: 'gs1:epcis', href: `${origin}/api/trace/lots/${target.lotId}/epcis`, title: createT('en')('trace.link.epcis', { product: target.product.name.en }), type: 'application/ld+json', hreflang: 'en' });
  }
  both('gs1:pip', (l) => `${prefix(l)}/products/${target.product.slug}`, 'trace.link.pip');
  both('gs1:certificationInfo', (l) => `${prefix(l)}/products/${target.product.slug}#certificate-title`, 'trace.link.certificate');
  both('gs1:verificationService', (l) => `${prefix(l)}/verify`, 'trace.link.verify');
  return links;
}

/** The default link: the stamp's page, else the lot's, else the product page (Vietnamese, the site's default language). */
export function defaultLink(links: ResolverLink[]): ResolverLink {
  return links[0]!;
}

/** RFC 9264 linkset in GS1's shape: one context object, link types as full URIs, one gs1:defaultLink. */
export function linkset(anchor: string, links: ResolverLink[], itemDescription: string) {
  const context: Record<string, unknown> = { anchor, itemDescription };
  const entry = (l: ResolverLink) => ({ href: l.href, title: l.title, type: l.type, hreflang: [l.hreflang] });
  context[`${GS1_VOC}defaultLink`] = [entry(defaultLink(links))];
  for (const l of links) ((context[`${GS1_VOC}${l.rel.slice(4)}`] ??= []) as unknown[]).push(entry(l));
  return { linkset: [context] };
}

function linkHeader(anchor: string, links: ResolverLink[]): string {
  const def = defaultLink(links);
  const all = [{ ...def, rel: 'gs1:defaultLink' }, ...links].map((l) => `<${l.href}>; rel="${GS1_VOC}${l.rel.slice(4)}"; type="${l.type}"; hreflang="${l.hreflang}"; title*=UTF-8''${encodeURIComponent(l.title).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`);
  all.push(`<${anchor}?linkType=linkset>; rel="${GS1_VOC}linkset"; type="application/linkset+json"`);
  all.push(`<${anchor}>; rel="owl:sameAs"`);
  return all.join(', ');
}

export interface ResolveRequest {
  method: string;
  pathname: string;
  search: URLSearchParams;
  accept: string | null;
  acceptLanguage: string | null;
  locale: Locale | null;
  origin: string;
}

export async function resolveDigitalLink(req: ResolveRequest): Promise<TraceReply> {
  const locale = req.locale ?? localeFromAcceptLanguage(req.acceptLanguage);
  if (req.method === 'OPTIONS') return { status: 204, headers: { ...CORS, allow: 'GET, HEAD, OPTIONS', 'access-control-max-age': '86400' }, body: '' };
  const base = req.pathname.replace(/^\/en(?=\/)/, '');
  const parsed = parseDigitalLink(base);
  if (!parsed.ok) return errorPage(400, locale, parsed.detail, `trace.dl.error.${parsed.error}` as MessageKey);
  if (!parsed.isCanonical) {
    const q = req.search.toString();
    return { status: 301, headers: { ...CORS, location: `${parsed.canonical}${q ? `?${q}` : ''}` }, body: '' };
  }
  const { link } = parsed;
  const db = await database();
  const found = await selectByGtin(db, gtinForms(link.gtin), link.lot);
  if (!found || found.status === 'draft') return errorPage(404, locale, `GTIN ${link.gtin}`, 'trace.dl.notFound.product');
  if (link.lot !== undefined && found.lot_id === null) return errorPage(404, locale, `${link.gtin} / ${link.lot}`, 'trace.dl.notFound.lot');
  let code: string | null = null;
  if (link.serial !== undefined) {
    code = normalizeStampCode(link.serial);
    // The serial must be a stamp of this very lot (a copied serial on another product is a fake).
    const lotOfStamp = code && verifyStampCode(code, stampSecret()) ? await selectStampLot(db, code) : null;
    if (lotOfStamp === null || lotOfStamp !== found.lot_id) return errorPage(404, locale, `${link.serial}`, 'trace.dl.notFound.serial');
  }
  const anchor = req.origin + buildDigitalLink(link);
  const links = linksFor({ link, product: { slug: found.slug, name: { vi: found.name_vi, en: found.name_en } }, lotId: found.lot_id, code }, req.origin);
  const headers = { ...CORS, link: linkHeader(anchor, links), vary: 'Accept, Accept-Language', 'cache-control': 'no-store' };

  const linkType = req.search.get('linkType');
  const wantsLinkset = linkType === 'linkset' || linkType === 'all' || (linkType === null && /application\/linkset\+json/i.test(req.accept ?? ''));
  if (wantsLinkset) {
    return { status: 200, headers: { ...headers, 'content-type': 'application/linkset+json' }, body: JSON.stringify(linkset(anchor, links, found.name_en)) };
  }
  const rel = linkType === null ? null : linkType.startsWith(GS1_VOC) ? `gs1:${linkType.slice(GS1_VOC.length)}` : linkType;
  const candidates = rel ? links.filter((l) => l.rel === rel) : [];
  // A link type that is not offered falls back to the default link, in the reader's language.
  const chosen = candidates.find((l) => l.hreflang === locale) ?? candidates[0]
    ?? links.find((l) => l.rel === defaultLink(links).rel && l.hreflang === locale) ?? defaultLink(links);
  // Pass the query string on, without the resolver's own parameter.
  const passOn = new URLSearchParams(req.search);
  passOn.delete('linkType');
  const q = passOn.toString();
  const target = new URL(chosen.href);
  if (q) target.search = target.search ? `${target.search}&${q}` : `?${q}`;
  return { status: 307, headers: { ...headers, location: target.href }, body: '' };
}

function errorPage(status: 400 | 404, locale: Locale, detail: string, key: MessageKey): TraceReply {
  const t = createT(locale);
  const title = t(status === 400 ? 'trace.dl.invalid' : 'trace.dl.notFound');
  const body = `<section class="v ${status === 400 ? 'warn' : 'bad'}"><h1>${esc(title)}</h1><p>${esc(t(key as never))}</p><p class="small code">${esc(detail)}</p></section>`
    + `<section><p>${esc(t('trace.dl.help'))}</p></section>`;
  return {
    status,
    headers: { ...CORS, 'content-type': 'text/html; charset=utf-8', 'content-security-policy': SHELL_CSP, 'cache-control': 'no-store', 'content-language': locale },
    body: renderShell({ locale, title, body, noindex: true }),
  };
}

/** /.well-known/gs1resolver: the resolver description file (GS1-Conformant resolver 1.2, §6). */
export function resolverDescription(origin: string) {
  return {
    name: 'Chợ OCOP',
    resolverRoot: origin,
    supportedPrimaryKeys: ['01'],
    supportedLinkType: [{ namespace: GS1_VOC, prefix: 'gs1:', profile: 'https://ref.gs1.org/voc/?show=linktypes' }],
    linkTypeDefaultCanBeLinkset: false,
    validatesAIcombination: true,
    supportedContextValuesEnumerated: [],
    contact: { homepage: `${origin}/` },
  };
}
