import { sql } from 'drizzle-orm';
import { db } from '../db/index.ts';
import { noteStockRead } from '../db/stock-reads.ts';
import { STOCK_SHOWN_UP_TO } from './availability.ts';
import type {
  CertificateView, ComboCard, LotView, ProducerDetail, ProductCard, ProductDetail, ProductImage,
} from './catalog.types.ts';
import {
  countBy, selectCards, selectCombos, selectProducerBySlug, selectProductPage, VISIBLE, type ProductRow,
} from './catalog.repository.ts';
import { certificateState, showsBadge } from './certificate-state.ts';
import { groupLabel, provinceLabel, subgroupLabel } from './reference.ts';
import { isSaleBlock } from './sellability.ts';

export function toCard(row: ProductRow): ProductCard {
  if (row.kind !== 'experience') noteStockRead(row.slug, Number(row.stock), STOCK_SHOWN_UP_TO);
  const state = row.cert_status && row.cert_valid_until
    ? certificateState({ status: row.cert_status, validUntil: row.cert_valid_until })
    : null;
  const badge = state !== null && row.cert_stars !== null && showsBadge(state, row.cert_stars);
  return {
    slug: row.slug,
    name: { vi: row.name_vi, en: row.name_en },
    price: row.price,
    unit: { vi: row.unit_vi, en: row.unit_en },
    image: row.images[0] ?? null,
    group: groupLabel(row.group_code),
    subgroup: subgroupLabel(row.subgroup_code),
    province: provinceLabel(row.province_code),
    producer: { slug: row.producer_slug, name: row.producer_name },
    stars: badge ? row.cert_stars : null,
    certificateState: state,
    kind: row.kind,
    available: row.kind === 'experience' ? null : row.stock,
  };
}

function toCertificate(row: Record<string, unknown> | null): CertificateView | null {
  if (!row) return null;
  const status = certificateState({ status: String(row.status), validUntil: String(row.valid_until) });
  const stars = Number(row.stars);
  const revokedAt = row.revoked_at ? new Date(String(row.revoked_at)).toISOString() : null;
  return {
    number: String(row.number),
    decisionNumber: String(row.decision_number),
    authority: String(row.authority),
    authorityLevel: row.authority_level as CertificateView['authorityLevel'],
    stars,
    score: row.score === null ? null : Number(row.score),
    issuedOn: String(row.issued_on),
    validUntil: String(row.valid_until),
    status,
    revokedAt,
    revocationReason: (row.revocation_reason as string | null) ?? null,
    revocationCode: (row.revocation_code as string | null) ?? null,
    showsBadge: showsBadge(status, stars),
  };
}

function toLot(row: Record<string, unknown> | null): LotView | null {
  if (!row) return null;
  return {
    code: String(row.code),
    producedOn: String(row.produced_on),
    bestBefore: (row.best_before as string | null) ?? null,
    quantity: Number(row.quantity),
    materialArea: { vi: (row.material_area_vi as string | null) ?? null, en: (row.material_area_en as string | null) ?? null },
    growingAreaCode: (row.growing_area_code as string | null) ?? null,
    harvestedOn: (row.harvested_on as string | null) ?? null,
  };
}

/** Slugs are lower-case ASCII words joined by dashes; anything else cannot exist, so no query is made. */
export function isSlug(value: string): boolean {
  return value.length <= 200 && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(value);
}

export async function getProduct(slug: string): Promise<ProductDetail | null> {
  if (!isSlug(slug)) return null;
  const d = await db();
  const row = await selectProductPage(d, slug);
  if (!row) return null;
  const certRow = row.certificate_row as Record<string, unknown> | null;
  const lotRow = row.lot_row as Record<string, unknown> | null;
  const certificate = toCertificate(certRow);
  const images = row.images as ProductImage[];
  const kind = row.kind as ProductCard['kind'];
  const block = isSaleBlock(row.sale_block) ? row.sale_block : null;
  if (kind !== 'experience') noteStockRead(String(row.slug), Number(row.stock), STOCK_SHOWN_UP_TO);
  return {
    slug: String(row.slug),
    name: { vi: String(row.name_vi), en: String(row.name_en) },
    price: Number(row.price),
    unit: { vi: String(row.unit_vi), en: String(row.unit_en) },
    image: images[0] ?? null,
    images,
    group: groupLabel(String(row.group_code)),
    subgroup: subgroupLabel(String(row.subgroup_code)),
    province: provinceLabel(String(row.province_code)),
    producer: { slug: String(row.producer_slug), name: String(row.producer_name) },
    stars: certificate?.showsBadge ? certificate.stars : null,
    certificateState: certificate?.status ?? null,
    kind,
    available: kind === 'experience' ? null : block ? 0 : Number(row.stock),
    sale: { sellable: block === null, block },
    gtin: (row.gtin as string | null) ?? null,
    description: { vi: String(row.description_vi), en: String(row.description_en) },
    story: { vi: String(row.story_vi), en: String(row.story_en) },
    weightGrams: Number(row.weight_grams),
    standards: row.standards as string[],
    status: row.status as ProductDetail['status'],
    certificate,
    producerDetail: {
      slug: String(row.producer_slug),
      name: String(row.producer_name),
      type: row.producer_type as ProductDetail['producerDetail']['type'],
      province: provinceLabel(String(row.province_code)),
      historicalAddress: (row.producer_historical_address as string | null) ?? null,
      commune: (row.producer_commune as string | null) ?? null,
    },
    currentLot: toLot(lotRow),
    updatedAt: new Date(String(row.updated_at)).toISOString(),
  };
}

export async function getProducer(slug: string): Promise<ProducerDetail | null> {
  if (!isSlug(slug)) return null;
  const d = await db();
  const row = await selectProducerBySlug(d, slug);
  if (!row) return null;
  const cards = await selectCards(d, sql`${VISIBLE} and pr.id = ${Number(row.id)}`, sql`p.name_vi`, 200);
  return {
    slug: String(row.slug),
    name: String(row.name),
    type: row.type as ProducerDetail['type'],
    province: provinceLabel(String(row.province_code)),
    taxCode: (row.tax_code as string | null) ?? null,
    commune: (row.commune as string | null) ?? null,
    addressLine: (row.address_line as string | null) ?? null,
    historicalAddress: (row.historical_address as string | null) ?? null,
    story: { vi: String(row.story_vi ?? ''), en: String(row.story_en ?? '') },
    phone: (row.phone as string | null) ?? null,
    email: (row.email as string | null) ?? null,
    website: (row.website as string | null) ?? null,
    status: row.status as ProducerDetail['status'],
    products: cards.map(toCard),
  };
}

async function combosFrom(slug?: string): Promise<ComboCard[]> {
  const d = await db();
  const combos = await selectCombos(d, slug);
  const slugs = [...new Set(combos.flatMap((c) => c.items.map((i) => i.slug)))];
  const cards = slugs.length
    ? (await selectCards(d, sql`${VISIBLE} and p.slug in (${sql.join(slugs.map((s) => sql`${s}`), sql`, `)})`, sql`p.id`, slugs.length)).map(toCard)
    : [];
  const bySlug = new Map(cards.map((c) => [c.slug, c]));
  return combos.map((c) => {
    const items = c.items.flatMap((i) => {
      const product = bySlug.get(i.slug);
      return product ? [{ qty: i.qty, product }] : [];
    });
    // A component that cannot be sold (revoked, suspended producer, recalled…) makes the combo unsellable.
    const blocked = c.items.flatMap((i) => (bySlug.has(i.slug) ? [] : [{
      name: { vi: i.name_vi, en: i.name_en }, block: isSaleBlock(i.block) ? i.block : 'unlisted' as const,
    }]));
    const complete = blocked.length === 0 && items.length > 0;
    // A box's count of boxes matters up to STOCK_SHOWN_UP_TO: its components' stock up to that many boxes' worth.
    for (const i of items) if (i.product.available !== null) noteStockRead(i.product.slug, i.product.available, (STOCK_SHOWN_UP_TO + 1) * i.qty - 1);
    const available = complete
      ? Math.min(...items.map((i) => (i.product.available === null ? Infinity : Math.floor(i.product.available / i.qty))))
      : 0;
    return {
      slug: c.slug,
      name: { vi: c.name_vi, en: c.name_en },
      description: { vi: c.description_vi, en: c.description_en },
      story: { vi: c.story_vi, en: c.story_en },
      occasion: c.occasion,
      place: c.place,
      price: c.price,
      componentsPrice: items.reduce((sum, i) => sum + i.product.price * i.qty, 0),
      image: c.image ?? c.composite_image ?? null,
      items,
      available: Number.isFinite(available) ? available : 0,
      producerCount: new Set(items.map((i) => i.product.producer.slug)).size,
      assembler: c.assembler && { kind: c.assembler.kind, slug: c.assembler.slug, name: { vi: c.assembler.name, en: c.assembler.nameEn ?? c.assembler.name }, province: provinceLabel(c.assembler.province) },
      blocked,
    };
  });
}

export function listCombos(): Promise<ComboCard[]> {
  return combosFrom();
}

export async function getCombo(slug: string): Promise<ComboCard | null> {
  if (!isSlug(slug)) return null;
  return (await combosFrom(slug))[0] ?? null;
}

export async function homeSections() {
  const d = await db();
  const [featuredRows, groupCounts, provinceCounts, combos] = await Promise.all([
    selectCards(d, sql`${VISIBLE} and p.featured`, sql`cert.stars desc nulls last, p.id`, 8),
    countBy(d, 'group_code'),
    countBy(d, 'province_code'),
    combosFrom(),
  ]);
  const groups = await Promise.all(
    groupCounts.map(async (g) => ({
      group: groupLabel(g.code),
      count: g.n,
      products: (await selectCards(d, sql`${VISIBLE} and p.group_code = ${g.code}`, sql`cert.stars desc nulls last, p.id`, 4)).map(toCard),
    })),
  );
  return {
    featured: featuredRows.map(toCard),
    groups,
    provinces: provinceCounts.map((p) => ({ province: provinceLabel(p.code), count: p.n })),
    combos: combos.slice(0, 6),
  };
}
