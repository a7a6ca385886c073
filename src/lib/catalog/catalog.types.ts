import type { ComboOccasion, ProductImage } from './catalog.table.ts';
import type { SaleBlock } from './sellability.ts';

export type { ComboOccasion, ProductImage, SaleBlock };
export type Locale = 'vi' | 'en';

/** Derived from valid_until and status, never stored: valid / expiring (≤ 30 days) / expired / revoked. */
export type CertificateState = 'valid' | 'expiring' | 'expired' | 'revoked';

export interface CertificateView {
  number: string;
  decisionNumber: string;
  authority: string;
  authorityLevel: 'commune' | 'district' | 'province' | 'central';
  stars: number;
  score: number | null;
  issuedOn: string; // YYYY-MM-DD
  validUntil: string; // YYYY-MM-DD
  status: CertificateState;
  revokedAt: string | null; // ISO
  /** The office's note on a revocation (Vietnamese; before codes existed, the whole reason). */
  revocationReason: string | null;
  /** Why it was revoked, from the fixed list (lib/certification/revocation.ts). */
  revocationCode: string | null;
  /** May show the OCOP mark: a valid or expiring certificate of 3★ or more. */
  showsBadge: boolean;
}

export interface Labelled {
  code: string;
  vi: string;
  en: string;
}

export interface ProducerSummary {
  slug: string;
  name: string;
  type: 'enterprise' | 'cooperative' | 'cooperative_group' | 'household' | 'farm';
  province: Labelled;
}

export interface ProductCard {
  slug: string;
  name: { vi: string; en: string };
  price: number; // integer đồng
  unit: { vi: string; en: string };
  image: ProductImage | null;
  group: Labelled;
  subgroup: Labelled;
  province: Labelled;
  producer: { slug: string; name: string };
  /** Stars of the certificate that may show the badge, else null. */
  stars: number | null;
  certificateState: CertificateState | null;
  kind: 'goods' | 'experience';
  /** Units that can be sold now (stock after reservations); null for experiences. */
  available: number | null;
}

export interface LotView {
  code: string;
  producedOn: string;
  bestBefore: string | null;
  quantity: number;
  materialArea: { vi: string | null; en: string | null };
  growingAreaCode: string | null;
  harvestedOn: string | null;
}

export interface ProductDetail extends ProductCard {
  gtin: string | null;
  description: { vi: string; en: string };
  story: { vi: string; en: string };
  images: ProductImage[];
  weightGrams: number;
  standards: string[];
  status: 'draft' | 'published' | 'archived';
  /** The certificate currently in force or most recently ended (null if never certified). */
  certificate: CertificateView | null;
  producerDetail: ProducerSummary & { historicalAddress: string | null; commune: string | null };
  currentLot: LotView | null;
  updatedAt: string;
  /** Whether it can be bought now, else why (lib/catalog/sellability.ts); `available` is then 0. */
  sale: { sellable: boolean; block: SaleBlock | null };
}

export interface ProducerDetail extends ProducerSummary {
  taxCode: string | null;
  commune: string | null;
  addressLine: string | null;
  historicalAddress: string | null;
  story: { vi: string; en: string };
  phone: string | null;
  email: string | null;
  website: string | null;
  status: 'pending' | 'verified' | 'suspended';
  products: ProductCard[];
}

export interface ComboCard {
  slug: string;
  name: { vi: string; en: string };
  description: { vi: string; en: string };
  price: number;
  /** Sum of the components' own prices, to show the saving. */
  componentsPrice: number;
  /** The uploaded picture, else the one composed from the components' pictures; never one component's. */
  image: ProductImage | null;
  items: Array<{ qty: number; product: ProductCard }>;
  /** How many combos can be sold now, limited by the scarcest component. */
  available: number;
  producerCount: number;
  occasion: ComboOccasion;
  place: string | null;
  story: { vi: string; en: string };
  /** Who packs and ships the box, as one parcel with one fee. */
  /** Who packs the box: a producer, or a point of sale (`kind`; its name in both languages). */
  assembler: { kind: 'producer' | 'point_of_sale'; slug: string; name: { vi: string; en: string }; province: Labelled } | null;
  /** Components that cannot be sold now and why: while any is listed, the combo cannot be sold. */
  blocked: Array<{ name: { vi: string; en: string }; block: SaleBlock | 'unlisted' }>;
}

export interface ListingFilters {
  group?: string;
  subgroup?: string;
  stars?: number;
  province?: string;
  producer?: string;
  priceMin?: number;
  priceMax?: number;
  sort: 'relevance' | 'price_asc' | 'price_desc' | 'stars' | 'newest';
  page: number; // 1-based
  limit: number;
}

export interface Listing {
  hits: ProductCard[];
  total: number;
  page: number;
  limit: number;
  pages: number;
  facets: {
    group: Record<string, number>;
    stars: Record<string, number>;
    province: Record<string, number>;
  };
}
