import Negotiator from 'negotiator';
import { createT, type Locale, type MessageKey } from '../i18n/index.ts';
import { db as database } from '../db/index.ts';
import { normalizeStampCode, stampSecret, verifyStampCode } from '../stamps/index.ts';
import { buildDigitalLink, gtinForms, parseDigitalLink, type DigitalLink, type ParseResult } from './digital-link.ts';
import { aiValueError, decompressPath, looksLikeAI } from './gs1-toolkit.ts';
import { SHELL_CSP, esc, renderShell } from './page-shell.ts';
import { selectByGtin, selectStampLot } from './trace.repository.ts';
import type { TraceReply } from './handler.ts';

/**
 * A GS1-Conformant resolver (1.2) for this site's GTINs: /01/<gtin14>[/22/<cpv>][/10/<lot>][/21/<serial>],
 * and the same links compressed (GS1 Digital Link: compression). An unknown lot or serial walks up
 * to the level above; a serial alone finds its stamp. Without a link type it redirects (307) to
 * the default link in the reader's language; `?linkType=gs1:…` (or its https://gs1.org/voc/ or
 * https://ref.gs1.org/voc/ URI) redirects to that link, 404 when the item has none, 300 when two
 * links match equally; `?linkType=linkset` or an Accept header preferring the linkset answers the
 * RFC 9264 linkset. Every answer lists the links in a `Link` header. GET, HEAD and OPTIONS, CORS.
 */
export const GS1_VOC = 'https://gs1.org/voc/';
/** Where this site serves GS1's JSON-LD context for linksets (a copy, so nothing is fetched elsewhere). */
export const LINKSET_CONTEXT_PATH = '/gs1/linkset-context.jsonld';
const JSONLD_CONTEXT_REL = 'http://www.w3.org/ns/json-ld#context';
const LINK_TYPE = /^(?:gs1:|https?:\/\/(?:www\.|ref\.)?gs1\.org\/voc\/)([A-Za-z]+)$/;

export interface ResolverLink {
  rel: string; // e.g. gs1:pip
  href: string;
  title: string;
  type: string;
  hreflang: Locale;
  /** Which link this is, the same in both languages (its title's message key). */
  kind: string;
}

export const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, HEAD, OPTIONS',
  'access-control-allow-headers': 'Accept, Accept-Language',
  'access-control-expose-headers': 'Link, Location, Content-Type, Content-Language, Vary',
} as const;
export const ALLOW = 'GET, HEAD, OPTIONS';

interface Target {
  link: DigitalLink;
  product: { slug: string; name: { vi: string; en: string } };
  lotId: number | null;
  code: string | null;
}

export function linksFor(target: Target, origin: string): ResolverLink[] {
  const links: ResolverLink[] = [];
  const both = (rel: string, path: (l: Locale) => string, key: MessageKey, type = 'text/html') => {
    for (const l of ['vi', 'en'] as const) links.push({ rel, href: origin + path(l), title: createT(l)(key as never, { product: target.product.name[l] } as never), type, hreflang: l, kind: key });
  };
  const prefix = (l: Locale) => (l === 'en' ? '/en' : '');
  if (target.code) both('gs1:traceability', (l) => `${prefix(l)}/t/${target.code}`, 'trace.link.stamp');
  if (target.lotId !== null) {
    both('gs1:traceability', (l) => `${prefix(l)}/t/lot/${target.lotId}`, 'trace.link.lot');
    links.push({ rel: 'gs1:epcis', href: `${origin}/api/trace/lots/${target.lotId}/epcis`, title: createT('en')('trace.link.epcis', { product: target.product.name.en }), type: 'application/ld+json', hreflang: 'en', kind: 'trace.link.epcis' });
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

/**
 * RFC 9264 linkset in GS1's shape: one context object, link types as full URIs, one gs1:defaultLink
 * that carries only href and title (GS1 resolver 1.2: "SHALL NOT include other attributes").
 */
export function linkset(anchor: string, links: ResolverLink[], itemDescription: string) {
  const context: Record<string, unknown> = { anchor, itemDescription };
  const def = defaultLink(links);
  context[`${GS1_VOC}defaultLink`] = [{ href: def.href, title: def.title }];
  for (const l of links) ((context[`${GS1_VOC}${l.rel.slice(4)}`] ??= []) as unknown[]).push({ href: l.href, title: l.title, type: l.type, hreflang: [l.hreflang] });
  return { linkset: [context] };
}

const title = (t: string) => `title*=UTF-8''${encodeURIComponent(t).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;

function linkHeader(anchor: string, links: ResolverLink[], extra: { sameAs?: string | null; context?: string | null }): string {
  const def = defaultLink(links);
  const all = [`<${def.href}>; rel="${GS1_VOC}defaultLink"; ${title(def.title)}`];
  for (const l of links) all.push(`<${l.href}>; rel="${GS1_VOC}${l.rel.slice(4)}"; type="${l.type}"; hreflang="${l.hreflang}"; ${title(l.title)}`);
  all.push(`<${anchor}?linkType=linkset>; rel="linkset"; type="application/linkset+json"`);
  if (extra.context) all.push(`<${extra.context}>; rel="${JSONLD_CONTEXT_REL}"; type="application/ld+json"`);
  // A compressed request: its uncompressed form (GS1 resolver 1.2, "owl:sameAs").
  if (extra.sameAs) all.push(`<${extra.sameAs}>; rel="owl:sameAs"`);
  return all.join(', ');
}

export interface ResolveRequest {
  method: string;
  pathname: string;
  search: URLSearchParams;
  accept: string | null;
  acceptLanguage: string | null;
  /** Set when the path had the /en prefix. */
  locale: Locale | null;
  origin: string;
}

const VARY = 'Accept, Accept-Language';

/** What the request asks for once decompressed and checked; a reply when it is already answered. */
function readRequest(req: ResolveRequest): TraceReply | { parsed: Extract<ParseResult, { ok: true }>; search: URLSearchParams; sameAs: string | null } {
  const locale = replyLocale(req);
  const base = req.pathname.replace(/^\/en(?=\/)/, '');
  let parsed: ParseResult | null = base.startsWith('/01/') ? parseDigitalLink(base) : null;
  let search = req.search;
  let sameAs: string | null = null;
  if (!parsed?.ok) {
    // Not a plain Digital Link: a compressed one (/AQnYUc1gmg…, or /01/<gtin>/<compressed qualifiers>)?
    const q = req.search.toString();
    const full = decompressPath(`${base.replace(/\/+$/, '')}${q ? `?${q}` : ''}`);
    if (full) {
      const url = new URL(full, 'http://resolver.invalid');
      const inner = parseDigitalLink(url.pathname);
      if (!inner.ok && !url.pathname.startsWith('/01/')) return errorPage(404, locale, url.pathname, 'trace.dl.notFound.product');
      parsed = inner;
      search = url.searchParams;
      if (inner.ok) sameAs = `${req.origin}${inner.canonical}${url.search}`;
    }
  }
  if (!parsed) return errorPage(404, locale, base, 'trace.dl.notFound.product');
  if (!parsed.ok) return errorPage(400, locale, parsed.detail, `trace.dl.error.${parsed.error}` as MessageKey);
  // AIs in the query string (data attributes such as ?17=261231) are checked like the path (400).
  for (const [key, value] of search) {
    if (!looksLikeAI(key)) continue;
    const problem = aiValueError(key, value);
    if (problem) return errorPage(400, locale, problem, 'trace.dl.error.query_ai');
  }
  if (!parsed.isCanonical && !sameAs) {
    const q = req.search.toString();
    return { status: 301, headers: { ...CORS, location: `${parsed.canonical}${q ? `?${q}` : ''}`, vary: VARY }, body: '' };
  }
  return { parsed, search, sameAs };
}

const replyLocale = (req: ResolveRequest): Locale => req.locale ?? (new Negotiator({ headers: { 'accept-language': req.acceptLanguage ?? 'vi' } }).language(['vi', 'en']) as Locale | undefined) ?? 'vi';

export async function resolveDigitalLink(req: ResolveRequest): Promise<TraceReply> {
  if (req.method === 'OPTIONS') return { status: 204, headers: { ...CORS, allow: ALLOW, 'access-control-max-age': '86400' }, body: '' };
  const locale = replyLocale(req);
  const read = readRequest(req);
  if ('status' in read) return read;
  const { parsed: { link }, search, sameAs } = read;

  const db = await database();
  const found = await selectByGtin(db, gtinForms(link.gtin), link.lot);
  if (!found || found.status === 'draft') return errorPage(404, locale, `GTIN ${link.gtin}`, 'trace.dl.notFound.product');
  // Walk up (GS1 resolver 1.2 §8.7.4): an unknown lot falls back to the GTIN, an unknown serial to its lot.
  let lotId = link.lot !== undefined ? found.lot_id : null;
  let code: string | null = null;
  if (link.serial !== undefined) {
    const normal = normalizeStampCode(link.serial);
    const stamp = normal && verifyStampCode(normal, stampSecret()) ? await selectStampLot(db, normal) : null;
    // The serial counts only as a stamp of this product (and of this lot, when one is named).
    if (stamp && stamp.product_id === found.id && (link.lot === undefined || stamp.lot_id === found.lot_id)) {
      code = normal;
      lotId = stamp.lot_id;
    }
  }
  const matched: DigitalLink = code ? link : lotId !== null ? { gtin: link.gtin, cpv: link.cpv, lot: link.lot } : { gtin: link.gtin };
  const anchor = req.origin + buildDigitalLink(matched);
  const links = linksFor({ link: matched, product: { slug: found.slug, name: { vi: found.name_vi, en: found.name_en } }, lotId, code }, req.origin);
  const headers = { ...CORS, link: linkHeader(anchor, links, { sameAs }), vary: VARY, 'cache-control': 'no-store' };
  const negotiator = new Negotiator({ headers: { accept: req.accept ?? '*/*', 'accept-language': req.acceptLanguage ?? '' } });

  const linkType = search.get('linkType');
  const linksetType = linkType === 'linkset' || linkType === 'all'
    ? (negotiator.mediaType(['application/linkset+json', 'application/json']) ?? 'application/linkset+json')
    : linkType === null ? negotiator.mediaType(['text/html', 'application/linkset+json', 'application/json']) : null;
  if (linksetType && linksetType !== 'text/html') {
    const context = req.origin + LINKSET_CONTEXT_PATH;
    return {
      status: 200,
      headers: { ...headers, link: linkHeader(anchor, links, { sameAs, context }), 'content-type': linksetType },
      body: JSON.stringify(linkset(anchor, links, found.name_en)),
    };
  }

  let chosen: ResolverLink;
  if (linkType === null || LINK_TYPE.exec(linkType)?.[1] === 'defaultLink') {
    // The default link, in the reader's language when it exists in both.
    const def = defaultLink(links);
    chosen = links.find((l) => l.kind === def.kind && l.hreflang === locale) ?? def;
  } else {
    const name = LINK_TYPE.exec(linkType)?.[1];
    const candidates = name ? links.filter((l) => l.rel === `gs1:${name}`) : [];
    if (!candidates.length) return errorPage(404, locale, `linkType=${linkType}`, 'trace.dl.notFound.linkType', headers);
    const best = bestMatches(candidates, negotiator, req.locale);
    if (best.length > 1) return multipleChoices(best, locale, headers);
    chosen = best[0]!;
  }
  // Pass the query string on, without the resolver's own parameter.
  const passOn = new URLSearchParams(search);
  passOn.delete('linkType');
  const q = passOn.toString();
  const target = new URL(chosen.href);
  if (q) target.search = target.search ? `${target.search}&${q}` : `?${q}`;
  return { status: 307, headers: { ...headers, location: target.href }, body: '' };
}

/**
 * The links of the asked type that fit the request best: media type by the Accept header's
 * q-values, then language by Accept-Language (or the /en path). Several left means a real tie.
 */
function bestMatches(candidates: ResolverLink[], negotiator: Negotiator, forced: Locale | null): ResolverLink[] {
  const types = [...new Set(candidates.map((l) => l.type))];
  const type = negotiator.mediaTypes(types)[0];
  let left = type ? candidates.filter((l) => l.type === type) : candidates;
  const langs = [...new Set(left.map((l) => l.hreflang))];
  const lang = forced && langs.includes(forced) ? forced : (negotiator.languages(langs)[0] as Locale | undefined) ?? (langs.includes('vi') ? 'vi' : langs[0]);
  left = left.filter((l) => l.hreflang === lang);
  return left;
}

function multipleChoices(links: ResolverLink[], locale: Locale, headers: Record<string, string>): TraceReply {
  const t = createT(locale);
  const heading = t('trace.dl.choices');
  const body = `<section><h1>${esc(heading)}</h1><p>${esc(t('trace.dl.choices.help'))}</p><ul>${links.map((l) => `<li><a href="${esc(l.href)}" hreflang="${l.hreflang}" type="${esc(l.type)}">${esc(l.title)}</a></li>`).join('')}</ul></section>`;
  return {
    status: 300,
    headers: { ...headers, 'content-type': 'text/html; charset=utf-8', 'content-security-policy': SHELL_CSP, 'content-language': locale },
    body: renderShell({ locale, title: heading, body, noindex: true }),
  };
}

function errorPage(status: 400 | 404, locale: Locale, detail: string, key: MessageKey, headers: Record<string, string> = CORS): TraceReply {
  const t = createT(locale);
  const heading = t(status === 400 ? 'trace.dl.invalid' : 'trace.dl.notFound');
  const body = `<section class="v ${status === 400 ? 'warn' : 'bad'}"><h1>${esc(heading)}</h1><p>${esc(t(key as never))}</p><p class="small code">${esc(detail)}</p></section>`
    + `<section><p>${esc(t('trace.dl.help'))}</p></section>`;
  return {
    status,
    headers: { ...headers, 'content-type': 'text/html; charset=utf-8', 'content-security-policy': SHELL_CSP, 'cache-control': 'no-store', 'content-language': locale, vary: VARY },
    body: renderShell({ locale, title: heading, body, noindex: true }),
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
    jsonLdContextLocation: origin + LINKSET_CONTEXT_PATH,
    supportedContextValuesEnumerated: [],
    contact: { homepage: `${origin}/` },
  };
}

/** A one-segment path that is a compressed GS1 Digital Link (the root route serves only those). */
export function isCompressedDigitalLinkPath(pathname: string): boolean {
  const full = decompressPath(pathname.replace(/^\/en(?=\/)/, '').replace(/\/+$/, ''));
  return full !== null && full.startsWith('/01/');
}

/** The resolver over the Fetch API (the Astro routes): 405 with Allow for methods it does not serve. */
export async function serveDigitalLink(request: Request, url: URL, origin: string, locale: Locale | null): Promise<Response> {
  const method = request.method;
  if (method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS') return new Response(null, { status: 405, headers: { ...CORS, allow: ALLOW } });
  const reply = await resolveDigitalLink({
    method,
    pathname: url.pathname,
    search: url.searchParams,
    accept: request.headers.get('accept'),
    acceptLanguage: request.headers.get('accept-language'),
    locale,
    origin,
  });
  return new Response(method === 'GET' ? reply.body || null : null, { status: reply.status, headers: reply.headers });
}

/** GS1's JSON-LD context for linksets (gs1/linkset, Apache License 2.0), served at LINKSET_CONTEXT_PATH. */
export { default as LINKSET_CONTEXT } from './linkset-context.json' with { type: 'json' };
