import { sql } from 'drizzle-orm';
import { db } from '../db/index.ts';
import type { ComboCard, Labelled, ProductCard, ProductImage } from './catalog.types.ts';
import { countBy, selectCardLists, selectCards, VISIBLE } from './catalog.repository.ts';
import { listCombos, toCard } from './catalog.service.ts';
import { todayInVietnam } from './certificate-state.ts';
import { provinceLabel, provinces } from './reference.ts';
import { selectProducerList, selectSitemap } from './storefront.repository.ts';
import { PRODUCER_TYPES } from './catalog.table.ts';

/**
 * What the storefront merchandises: the home page's sections, the producers' index, province
 * pages, a product page's neighbours and the sitemap. Each product appears at most once on a page.
 */

export type Region = 'north' | 'central' | 'south';
/** The three regions shoppers think in (Bắc, Trung, Nam), over the 34 provinces of 1 July 2025. */
const REGION_OF: Record<string, Region> = Object.fromEntries([
  ...['ha-noi', 'lai-chau', 'dien-bien', 'son-la', 'lang-son', 'quang-ninh', 'cao-bang', 'tuyen-quang', 'lao-cai', 'thai-nguyen', 'phu-tho', 'bac-ninh', 'hung-yen', 'hai-phong', 'ninh-binh'].map((c) => [c, 'north']),
  ...['thanh-hoa', 'nghe-an', 'ha-tinh', 'quang-tri', 'hue', 'da-nang', 'quang-ngai', 'gia-lai', 'khanh-hoa', 'lam-dong', 'dak-lak'].map((c) => [c, 'central']),
  ...['ho-chi-minh', 'dong-nai', 'tay-ninh', 'can-tho', 'vinh-long', 'dong-thap', 'ca-mau', 'an-giang'].map((c) => [c, 'south']),
]) as Record<string, Region>;
export const REGIONS: readonly Region[] = ['north', 'central', 'south'];
export const regionOf = (provinceCode: string): Region => REGION_OF[provinceCode] ?? 'south';

/** The gift season of a date in Vietnam: Tết (Dec–Feb), Mid-Autumn (Aug–Sep), otherwise any time. */
export type Season = 'tet' | 'midAutumn' | 'any';
export function giftSeason(today: string = todayInVietnam()): Season {
  const month = Number(today.slice(5, 7));
  if (month === 12 || month <= 2) return 'tet';
  if (month === 8 || month === 9) return 'midAutumn';
  return 'any';
}

/** Takes up to `n` cards not yet on the page, marking them as shown. */
function fresh(rows: ProductCard[], shown: Set<string>, n: number): ProductCard[] {
  const out: ProductCard[] = [];
  for (const card of rows) {
    if (out.length === n) break;
    if (shown.has(card.slug)) continue;
    shown.add(card.slug);
    out.push(card);
  }
  return out;
}

export interface ProducerListItem {
  slug: string;
  name: string;
  type: (typeof PRODUCER_TYPES)[number];
  province: Labelled;
  commune: string | null;
  story: { vi: string; en: string };
  products: number;
  image: ProductImage | null;
}

async function producerList(): Promise<ProducerListItem[]> {
  const rows = await selectProducerList(await db());
  return rows.map((r) => ({
    slug: r.slug,
    name: r.name,
    type: r.type as ProducerListItem['type'],
    province: provinceLabel(r.province_code),
    commune: r.commune,
    story: { vi: r.story_vi ?? '', en: r.story_en ?? '' },
    products: r.products,
    image: (r.image as ProductImage | null) ?? null,
  }));
}

export interface StorefrontHome {
  season: Season;
  gifts: ComboCard[];
  fiveStar: ProductCard[];
  newArrivals: ProductCard[];
  regions: Array<{ region: Region; count: number; provinces: Array<{ province: Labelled; count: number }>; image: ProductImage | null }>;
  story: { producer: ProducerListItem; products: ProductCard[] } | null;
}

export async function storefrontHome(): Promise<StorefrontHome> {
  const d = await db();
  const [combos, fiveStarRows, newRows, provinceCounts, producers] = await Promise.all([
    listCombos(),
    selectCards(d, sql`${VISIBLE} and cert.stars = 5 and cert.status = 'active'`, sql`p.featured desc, p.id`, 12),
    selectCards(d, sql`${VISIBLE} and p.published_at is not null`, sql`p.published_at desc, p.id desc`, 16),
    countBy(d, 'province_code'),
    producerList(),
  ]);
  const shown = new Set<string>();
  const fiveStar = fresh(fiveStarRows.map(toCard), shown, 4);
  const newArrivals = fresh(newRows.map(toCard), shown, 4);
  // The producer story: the one with a told story and the most products still unshown.
  const teller = producers.filter((p) => p.story.vi.length > 80).sort((a, b) => b.products - a.products || a.slug.localeCompare(b.slug))[0];
  const story = teller
    ? { producer: teller, products: fresh((await selectCards(d, sql`${VISIBLE} and pr.slug = ${teller.slug}`, sql`p.featured desc, p.id`, 12)).map(toCard), shown, 3) }
    : null;
  const byCode = new Map(provinceCounts.map((p) => [p.code, p.n]));
  const regions = REGIONS.map((region) => {
    const list = provinces.filter((p) => regionOf(p.code) === region && byCode.has(p.code))
      .map((p) => ({ province: provinceLabel(p.code), count: byCode.get(p.code)! }))
      .sort((a, b) => b.count - a.count);
    const image = producers.find((p) => regionOf(p.province.code) === region && p.image)?.image ?? null;
    return { region, count: list.reduce((s, p) => s + p.count, 0), provinces: list, image };
  }).filter((r) => r.count > 0);
  return {
    season: giftSeason(),
    gifts: [...combos].sort((a, b) => Number(b.available > 0) - Number(a.available > 0)).slice(0, 4),
    fiveStar,
    newArrivals,
    regions,
    story,
  };
}

export interface ProducerIndex {
  producers: ProducerListItem[];
  total: number;
  facets: { province: Array<{ province: Labelled; count: number }>; type: Array<{ type: ProducerListItem['type']; count: number }> };
}

/** /producers: every listed producer, filtered by province and type; each facet counts under the other filter. */
export async function producerIndex(filter: { province?: string; type?: string }): Promise<ProducerIndex> {
  const all = await producerList();
  const byProvince = (p: ProducerListItem) => !filter.province || p.province.code === filter.province;
  const byType = (p: ProducerListItem) => !filter.type || p.type === filter.type;
  const count = <K extends string>(list: ProducerListItem[], key: (p: ProducerListItem) => K) => {
    const m = new Map<K, number>();
    for (const p of list) m.set(key(p), (m.get(key(p)) ?? 0) + 1);
    return m;
  };
  const provinceCounts = count(all.filter(byType), (p) => p.province.code);
  const typeCounts = count(all.filter(byProvince), (p) => p.type);
  const producers = all.filter((p) => byProvince(p) && byType(p));
  return {
    producers,
    total: producers.length,
    facets: {
      province: [...provinceCounts].map(([code, n]) => ({ province: provinceLabel(code), count: n })),
      type: PRODUCER_TYPES.filter((t) => typeCounts.has(t)).map((t) => ({ type: t, count: typeCounts.get(t)! })),
    },
  };
}

export const isProducerType = (v: string): v is ProducerListItem['type'] => (PRODUCER_TYPES as readonly string[]).includes(v);

/** A province page: its producers and its products (null for a code that is not one of the 34). */
export async function provincePage(code: string) {
  if (!provinces.some((p) => p.code === code)) return null;
  const d = await db();
  const [rows, list] = await Promise.all([
    selectCards(d, sql`${VISIBLE} and pr.province_code = ${code}`, sql`cert.stars desc nulls last, p.featured desc, p.name_vi`, 48),
    producerList(),
  ]);
  return {
    province: provinceLabel(code),
    region: regionOf(code),
    products: rows.map(toCard),
    producers: list.filter((p) => p.province.code === code),
  };
}

/** A product page's neighbours: more from its producer, then products of the same set or group from others. */
export async function productNeighbours(product: { slug: string; producer: { slug: string }; group: { code: string }; subgroup: { code: string } }) {
  const d = await db();
  const [own, similar] = await selectCardLists(d, [
    { where: sql`${VISIBLE} and pr.slug = ${product.producer.slug} and p.slug <> ${product.slug}`, orderBy: sql`p.featured desc, p.id`, limit: 4 },
    { where: sql`${VISIBLE} and p.group_code = ${product.group.code} and pr.slug <> ${product.producer.slug}`,
      orderBy: sql`(p.subgroup_code = ${product.subgroup.code}) desc, cert.stars desc nulls last, p.id`, limit: 4 },
  ]);
  return { fromProducer: own!.map(toCard), related: similar!.map(toCard) };
}

export interface SitemapEntry {
  /** Path without the locale prefix ('/products/x'). */
  path: string;
  lastModified: string | null;
}

/** Every public page worth indexing (each is listed in both languages by the route). */
export async function sitemapEntries(): Promise<SitemapEntry[]> {
  const { products, producers, combos } = await selectSitemap(await db());
  const iso = (v: string | Date) => new Date(v).toISOString();
  const provinceCodes = [...new Set(producers.map((p) => p.province_code))].sort();
  return [
    ...['/', '/products', '/combos', '/producers', '/verify'].map((path) => ({ path, lastModified: null })),
    ...products.map((p) => ({ path: `/products/${p.slug}`, lastModified: iso(p.at) })),
    ...producers.map((p) => ({ path: `/producers/${p.slug}`, lastModified: iso(p.at) })),
    ...combos.map((c) => ({ path: `/combos/${c.slug}`, lastModified: iso(c.at) })),
    ...provinceCodes.map((code) => ({ path: `/provinces/${code}`, lastModified: null })),
  ];
}
