import { authorityName, createT, formatDate, formatDateTime, formatNumber, localePath, localized, type Locale, type MessageKey } from '../i18n/index.ts';
import { formatStampCode } from '../stamps/index.ts';
import { revocationText } from '../certification/index.ts';
import type { PinOutcome } from '../stamps/index.ts';
import { esc, renderShell } from './page-shell.ts';
import type { LotView, Provenance, TraceEvent } from './provenance.ts';

/**
 * The provenance page, verdict first. A recall or a revoked certificate overrides everything
 * (shown above the verdict), then: product, producer, OCOP certificate, lot, the lot's timeline,
 * the origin story and a link to buy. What Circular 02/2024/TT-BKHCN asks consumers be shown is
 * all here: product name and image, producer name and address, production date and key events,
 * brand, code/serial, expiry, applied standards.
 */
export interface PageInput {
  locale: Locale;
  origin: string;
  /** The stamp's or lot's provenance; null with `code` for an unknown code. */
  provenance: Provenance | null;
  code?: string | null;
  /** Outcome of a PIN attempt, shown once after the form posts. */
  pin?: PinOutcome | null;
  /** The lot's sections when already rendered (provenance.ts keeps them between scans). */
  sections?: LotSections;
}

const STEPS = new Set(['commissioning', 'harvesting', 'transforming', 'inspecting', 'packing', 'shipping', 'receiving', 'storing', 'retail_selling', 'destroying', 'recalling', 'other']);
const PIN_OUTCOMES = new Set(['confirmed', 'wrong', 'already_used', 'no_pin', 'limited', 'unknown', 'voided']);

export function stampPaths(code: string): { vi: string; en: string } {
  return { vi: `/t/${code}?lang=vi`, en: `/en/t/${code}` };
}

/**
 * The parts of the page that depend only on the lot (product, producer, certificate, lot,
 * timeline, story), rendered once per lot and language and kept with the lot's data between scans
 * (provenance.ts); only the verdict, the scan count and the stamp's code are drawn per request.
 */
export interface LotSections {
  title: string;
  /** The recall or revocation banner, above everything ('' when none). */
  alert: string;
  /** The product section up to its facts list; the stamp's code comes next. */
  productHead: string;
  /** The rest of the product facts and every section after them. */
  rest: string;
}

export function renderLotSections(p: LotView, locale: Locale): LotSections {
  const t = createT(locale);
  const date = (d: string) => `<time datetime="${esc(d)}">${esc(formatDate(d, locale))}</time>`;
  const name = localized(p.product.name, locale);
  let alert = '';
  if (p.alert === 'recall') {
    alert = `<section class="v alert" role="alert"><p class="mark">${esc(t('trace.alert.recall'))}</p>`
      + (p.lot.recalledAt ? `<p>${esc(t('monitor.trace.recalledOn', { date: formatDate(p.lot.recalledAt, locale) }))}</p>` : '')
      + (p.lot.recallReason ? `<p>${esc(t('monitor.trace.recallReason', { reason: p.lot.recallReason }))}</p>` : '')
      + `<p>${esc(t('trace.alert.recallText'))}</p></section>`;
  }
  else if (p.alert === 'producer_suspended') alert = `<section class="v alert" role="alert"><p class="mark">${esc(t('trace.alert.suspended'))}</p>${standingLines(p, locale).map((l) => `<p>${esc(l)}</p>`).join('')}</section>`;
  else if (p.alert === 'certificate_revoked') alert = `<section class="v alert" role="alert"><p class="mark">${esc(t('trace.alert.revoked'))}</p><p>${esc(t('trace.alert.revokedText'))}</p>${p.certificate?.revokedAt ? `<p>${esc(t('certificate.revokedOn', { date: formatDate(p.certificate.revokedAt, locale) }))}</p>` : ''}${p.certificate && (p.certificate.revocationCode || p.certificate.revocationReason) ? `<p>${esc(t('certificate.revocationReason', { reason: revocationText(p.certificate.revocationCode, p.certificate.revocationReason, locale)! }))}</p>` : ''}</section>`;

  // Product (name, image, brand, code, GTIN, standards, expiry).
  const img = p.product.image ? `<img src="${esc(p.product.image.url)}" width="96" height="96" alt="${esc(localized(p.product.image.alt, locale))}">` : '<span></span>';
  const productHead = `<section><div class="prod">${img}<div><h1>${esc(name)}</h1><p class="small">${esc(t('trace.brand'))}: ${esc(p.producer.name)}</p></div></div><dl>`;
  const parts: string[] = [];
  parts.push((p.product.gtin ? `<dt>GTIN</dt><dd class="code">${esc(p.product.gtin)}</dd>` : '')
    + `<dt>${esc(t('lot.code'))}</dt><dd>${esc(p.lot.code)}</dd><dt>${esc(t('lot.producedOn'))}</dt><dd>${date(p.lot.producedOn)}</dd>`
    + (p.lot.bestBefore ? `<dt>${esc(t('trace.expiry'))}</dt><dd>${date(p.lot.bestBefore)}</dd>` : '')
    + (p.product.standards.length ? `<dt>${esc(t('trace.standards'))}</dt><dd>${esc(p.product.standards.join(', '))}</dd>` : '')
    + `</dl></section>`);

  // Producer.
  const address = [p.producer.addressLine, p.producer.commune, localized(p.producer.province, locale)].filter(Boolean).join(', ');
  parts.push(`<section><h2>${esc(t('trace.producer'))}</h2><dl><dt>${esc(t('trace.producerName'))}</dt><dd><a href="${esc(localePath(`/producers/${p.producer.slug}`, locale))}">${esc(p.producer.name)}</a></dd>`
    + `<dt>${esc(t('trace.address'))}</dt><dd>${esc(address)}</dd>`
    + (p.producer.historicalAddress ? `<dt>${esc(t('trace.historicalAddress'))}</dt><dd>${esc(p.producer.historicalAddress)}</dd>` : '')
    + (p.producer.phone ? `<dt>${esc(t('trace.phone'))}</dt><dd><a href="tel:${esc(p.producer.phone)}">${esc(p.producer.phone)}</a></dd>` : '')
    + `</dl></section>`);

  // OCOP stars and certificate state.
  const c = p.certificate;
  parts.push(`<section><h2>${esc(t('certificate.title'))}</h2>` + (c
    ? `<p>${c.showsBadge ? `<span class="stars">${'★'.repeat(c.stars)} ${esc(t('certificate.badge', { stars: c.stars }))}</span> ` : ''}<strong>${esc(t(`certificate.state.${c.status}`, { date: formatDate(c.validUntil, locale) }))}</strong></p>`
      + `<dl><dt>${esc(t('certificate.number'))}</dt><dd>${esc(c.number)}</dd><dt>${esc(t('trace.stars'))}</dt><dd>${esc(t('certificate.stars', { stars: c.stars }))}</dd>`
      + `<dt>${esc(t('certificate.authority'))}</dt><dd>${esc(authorityName(c.authority, locale))} (${esc(c.decisionNumber)})</dd><dt>${esc(t('certificate.issuedOn'))}</dt><dd>${date(c.issuedOn)}</dd>`
      + `<dt>${esc(t('certificate.validUntil'))}</dt><dd>${date(c.validUntil)}</dd></dl>`
    : `<p>${esc(t('product.notCertified'))}</p>`) + `</section>`);

  // Lot.
  const area = localized(p.lot.materialArea, locale);
  parts.push(`<section><h2>${esc(t('product.lot'))}</h2><dl><dt>${esc(t('lot.code'))}</dt><dd>${esc(p.lot.code)}</dd>`
    + `<dt>${esc(t('lot.producedOn'))}</dt><dd>${date(p.lot.producedOn)}</dd>`
    + (p.lot.bestBefore ? `<dt>${esc(t('lot.bestBefore'))}</dt><dd>${date(p.lot.bestBefore)}</dd>` : '')
    + (area ? `<dt>${esc(t('lot.materialArea'))}</dt><dd>${esc(area)}</dd>` : '')
    + (p.lot.growingAreaCode ? `<dt>${esc(t('lot.growingAreaCode'))}</dt><dd>${esc(p.lot.growingAreaCode)}</dd>` : '')
    + (p.lot.harvestedOn ? `<dt>${esc(t('lot.harvestedOn'))}</dt><dd>${date(p.lot.harvestedOn)}</dd>` : '')
    + p.lot.documents.map((d) => `<dt>${esc(t('trace.document'))}</dt><dd><a href="${esc(safeHref(d.url))}">${esc(locale === 'en' && d.titleEn ? d.titleEn : d.title)}</a></dd>`).join('')
    + `</dl></section>`);

  // Timeline.
  if (p.events.length) parts.push(`<section><h2>${esc(t('trace.timeline'))}</h2><ol>${p.events.map((e) => eventItem(e, locale, t)).join('')}</ol></section>`);

  const story = localized(p.product.story, locale);
  if (story) parts.push(`<section><h2>${esc(t('trace.story'))}</h2><p>${esc(story)}</p></section>`);

  if (p.product.onSale && p.alert === null) parts.push(`<p><a class="btn" href="${esc(localePath(`/products/${p.product.slug}`, locale))}">${esc(t('trace.buy', { product: name }))}</a></p>`);
  return { title: t('trace.title', { product: name }), alert, productHead, rest: parts.join('') };
}

export function renderProvenancePage(input: PageInput): string {
  const { locale } = input;
  const t = createT(locale);
  const p = input.provenance;
  if (!p) {
    const code = input.code ?? '';
    const body = `<section class="v bad" role="status"><p class="mark">${esc(t('trace.verdict.unknown'))}</p>`
      + `<p>${esc(t('trace.unknown.text', { code: code ? formatStampCode(code) : '—' }))}</p></section>`
      + reportSection(t);
    return renderShell({ locale, title: t('trace.verdict.unknown'), body, noindex: true, alternates: code ? stampPaths(code) : undefined });
  }
  const lot = input.sections ?? renderLotSections(p, locale);
  // A genuine stamp of a product that lost its certificate or whose producer is suspended: ONE verdict saying both.
  const combined = p.kind === 'stamp' && p.verdict === 'genuine' && (p.alert === 'certificate_revoked' || p.alert === 'producer_suspended');
  const parts: string[] = combined ? [] : [lot.alert];
  if (p.kind === 'lot') parts.push(`<section class="v"><p>${esc(t('trace.lotOnly'))}</p></section>`);
  else parts.push(verdictSection(p, input, t));
  if (input.pin && PIN_OUTCOMES.has(input.pin)) parts.push(`<section class="v ${input.pin === 'confirmed' ? 'ok' : 'warn'}" role="status"><p>${esc(t(`trace.pin.outcome.${input.pin}` as 'trace.pin.outcome.wrong'))}</p></section>`);
  parts.push(lot.productHead);
  if (p.code) parts.push(`<dt>${esc(t('trace.code'))}</dt><dd class="code">${esc(formatStampCode(p.code))}</dd>`);
  parts.push(lot.rest);
  if (p.kind === 'stamp' && (p.verdict === 'warning' || p.verdict === 'voided')) parts.push(reportSection(t));
  parts.push(reportLink(p, locale, t));

  return renderShell({
    locale,
    title: lot.title,
    body: parts.join(''),
    noindex: true,
    alternates: p.code ? stampPaths(p.code) : undefined,
  });
}

type T = ReturnType<typeof createT>;

/** When the item was sold and, for a counter sale, at which point of sale (a link to its page). */
function soldLine(p: Provenance, locale: Locale, t: T): string {
  const stamp = p.stamp;
  if (!stamp?.soldAt) return '';
  if (!stamp.soldPlace) return `<p>${esc(t('trace.sold', { date: formatDate(stamp.soldAt, locale) }))}</p>`;
  const place = locale === 'en' ? stamp.soldPlace.nameEn : stamp.soldPlace.nameVi;
  const [before, after] = t('places.trace.soldAt', { date: formatDateTime(stamp.soldAt, locale), place: '\u0000' }).split('\u0000');
  return `<p class="sold-at">${esc(before ?? '')}<a href="${esc(localePath(`/points-of-sale/${stamp.soldPlace.slug}`, locale))}">${esc(place)}</a>${esc(after ?? '')}</p>`;
}

function verdictSection(p: Provenance, input: PageInput, t: T): string {
  const { locale } = input;
  const since = p.scans.firstAt ? formatDate(p.scans.firstAt, locale) : formatDate(new Date(), locale);
  const scans = `<p>${esc(t.plural('trace.scans', p.scans.count, { date: since }))}</p>`;
  const pin = p.stamp?.pin === 'available' && p.verdict !== 'voided'
    ? `<form method="post" action="/t/${esc(p.code)}/pin${input.locale === 'en' ? '?lang=en' : ''}"><label for="pin">${esc(t('trace.pin.label'))}</label> <input id="pin" name="pin" inputmode="numeric" autocomplete="off" pattern="[0-9 ]{8,9}" required><button>${esc(t('trace.pin.submit'))}</button></form>`
    : p.stamp?.pin === 'used' && p.stamp.pinUsedAt ? `<p>${esc(t('trace.pin.used', { date: formatDate(p.stamp.pinUsedAt, locale) }))}</p>` : '';
  if (p.verdict === 'genuine' && p.alert !== null) {
    // Genuine, but not a product in good standing: never the green "in force" verdict.
    const head = t(p.alert === 'recall' ? 'trace.standing.genuineRecalled' : p.alert === 'certificate_revoked' ? 'trace.standing.genuineNotOcop' : 'trace.standing.genuineSuspended');
    const lines = p.alert === 'recall' ? [t('trace.standing.issued', { producer: p.producer.name, lot: p.lot.code })] : standingLines(p, locale);
    return `<section class="v ${p.alert === 'recall' ? 'warn' : 'alert'}" role="alert"><p class="mark">${esc(head)}</p>${lines.map((l) => `<p>${esc(l)}</p>`).join('')}${scans}`
      + soldLine(p, locale, t) + `${pin}</section>`;
  }
  switch (p.verdict) {
    case 'genuine':
      return `<section class="v ok" role="status"><p class="mark">✔ ${esc(t('trace.verdict.genuine'))}</p><p>${esc(t('trace.genuine.text', { producer: p.producer.name, lot: p.lot.code }))}</p>${scans}`
        + soldLine(p, locale, t) + `${pin}</section>`;
    case 'warning':
      return `<section class="v warn" role="alert"><p class="mark">⚠ ${esc(t('trace.verdict.warning'))}</p>`
        + (p.reason === 'not_released'
          ? `<p>${esc(t('trace.warning.notReleased'))}</p>`
          : `<p>${esc(t('trace.warning.manyScans', { count: p.scans.count, days: p.scans.days, date: since }))}</p>`)
        + `</section>`;
    case 'voided':
      return `<section class="v bad" role="alert"><p class="mark">✖ ${esc(t('trace.verdict.voided'))}</p><p>${esc(t('trace.voided.text', { date: p.stamp?.voidedAt ? formatDate(p.stamp.voidedAt, locale) : '—' }))}</p></section>`;
    default:
      return '';
  }
}

/**
 * What the page and GET /api/trace/<code> say about a product no longer in good standing, in one
 * voice: the stamp is genuine, and the certificate was revoked / the producer suspended, when and why.
 */
export function standingLines(p: Pick<Provenance, 'alert' | 'producer' | 'certificate' | 'lot'>, locale: Locale): string[] {
  const t = createT(locale);
  const issued = t('trace.standing.issued', { producer: p.producer.name, lot: p.lot.code });
  if (p.alert === 'certificate_revoked' && p.certificate) {
    const c = p.certificate;
    return [issued, t('trace.standing.revoked', { number: c.number, date: c.revokedAt ? formatDate(c.revokedAt, locale) : '—' }),
      ...(c.revocationCode || c.revocationReason ? [t('trace.standing.reason', { reason: revocationText(c.revocationCode, c.revocationReason, locale)! })] : []), t('trace.alert.revokedText')];
  }
  if (p.alert === 'producer_suspended') {
    const pr = p.producer;
    return [issued, pr.suspendedAt ? t('trace.standing.suspended', { producer: pr.name, date: formatDate(pr.suspendedAt, locale) }) : t('trace.standing.suspendedNoDate', { producer: pr.name }),
      ...(pr.suspensionReason ? [t('trace.standing.reason', { reason: pr.suspensionReason })] : []), t('trace.standing.suspendedText')];
  }
  return [];
}

function eventItem(e: TraceEvent, locale: Locale, t: T): string {
  const step = STEPS.has(e.bizStep) ? t(`trace.step.${e.bizStep}` as 'trace.step.other') : e.bizStep.replace(/_/g, ' ');
  const what = localized(e.description, locale);
  const qty = (list: TraceEvent['inputs']) => list.map((q) => `${formatNumber(q.quantity, locale)}${q.uom ? ` ${q.uom}` : ''}`).join(', ');
  const io = e.inputs.length && e.outputs.length ? `<br><span class="small">${esc(t('trace.transformation', { inputs: qty(e.inputs), outputs: qty(e.outputs) }))}</span>` : '';
  return `<li${e.declaredWrong ? ' class="x"' : ''}><div class="when"><time datetime="${esc(e.occurredAt)}">${esc(formatDateTime(e.occurredAt, locale))}</time>${e.place ? ` · ${esc(e.place)}` : ''}</div>`
    + `<div class="what"><strong>${esc(e.corrects ? t('trace.correction') : step)}</strong>${what ? ` — ${esc(what)}` : ''}${e.corrects?.reason ? ` — ${esc(e.corrects.reason)}` : ''}</div>${io}`
    + (e.actor ? `<div class="small">${esc(e.actor)}</div>` : '')
    + e.evidence.map((d) => `<div class="small"><a href="${esc(safeHref(d.url))}">${esc(locale === 'en' && d.titleEn ? d.titleEn : d.title)}</a></div>`).join('')
    + (e.declaredWrong ? `<div class="small">${esc(t('trace.declaredWrong', { reason: e.declaredWrong.reason ?? '' }))}</div>` : '')
    + `</li>`;
}

/** "Report a problem": a link to the small report page (this page stays script-free and small). */
function reportLink(p: Provenance, locale: Locale, t: T): string {
  const query = p.code ? `code=${encodeURIComponent(p.code)}` : `product=${encodeURIComponent(p.product.slug)}`;
  return `<p><a href="${esc(localePath('/report', locale))}?${esc(query)}">${esc(t('monitor.report.link'))}</a></p>`;
}

function reportSection(t: T): string {
  return `<section><h2>${esc(t('trace.report.title'))}</h2><p>${esc(t('trace.report.text'))}</p></section>`;
}

/** Evidence links are relative paths or http(s) URLs; anything else (javascript:…) is dropped. */
function safeHref(url: string): string {
  return /^(\/(?!\/)|https?:\/\/)/i.test(url) ? url : '#';
}
