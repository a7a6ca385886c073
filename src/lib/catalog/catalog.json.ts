import { shownStock } from './availability.ts';
// The revocation's labels only (not certification's index, which imports the catalogue).
import { revocationJson } from '../certification/revocation.ts';
import type { Locale, ProductCard, ProductDetail } from './catalog.types.ts';

/** Public JSON shapes (DESIGN.md §6): provinces and groups by their codes, money in integer đồng. */
export function searchHitJson(card: ProductCard, locale: Locale) {
  return {
    slug: card.slug,
    name: card.name[locale],
    names: card.name,
    producer: card.producer.name,
    producerSlug: card.producer.slug,
    province: card.province.code,
    group: card.group.code,
    subgroup: card.subgroup.code,
    stars: card.stars,
    certificate: card.certificateState,
    price: card.price,
    currency: 'VND',
    unit: card.unit[locale],
    image: card.image?.url ?? null,
    kind: card.kind,
    stock: card.available === null ? null : shownStock(card.available),
    url: `${locale === 'en' ? '/en' : ''}/products/${card.slug}`,
  };
}

export function productJson(p: ProductDetail, origin: string) {
  return {
    slug: p.slug,
    name: p.name.vi,
    names: p.name,
    description: p.description,
    story: p.story,
    price: p.price,
    currency: 'VND',
    unit: p.unit,
    weightGrams: p.weightGrams,
    stock: p.available,
    /** Whether it can be bought now, else why (lib/catalog/sellability.ts: unpublished, not_approved, producer_suspended, certificate_revoked, recalled). */
    sellable: p.sale.sellable,
    saleBlock: p.sale.block,
    kind: p.kind,
    gtin: p.gtin,
    stars: p.stars,
    group: p.group.code,
    subgroup: p.subgroup.code,
    province: p.province.code,
    standards: p.standards,
    images: p.images.map((i) => ({ ...i, url: new URL(i.url, origin).href })),
    certificate: p.certificate && {
      number: p.certificate.number,
      status: p.certificate.status,
      stars: p.certificate.stars,
      validUntil: p.certificate.validUntil,
      issuedOn: p.certificate.issuedOn,
      authority: p.certificate.authority,
      decisionNumber: p.certificate.decisionNumber,
      revocationReason: p.certificate.revocationReason,
      revocation: p.certificate.status === 'revoked' ? revocationJson(p.certificate.revocationCode, p.certificate.revocationReason) : null,
    },
    producer: {
      slug: p.producerDetail.slug,
      name: p.producerDetail.name,
      type: p.producerDetail.type,
      province: p.producerDetail.province.code,
      commune: p.producerDetail.commune,
      historicalAddress: p.producerDetail.historicalAddress,
    },
    currentLot: p.currentLot,
    updatedAt: p.updatedAt,
  };
}
