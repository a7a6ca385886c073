import crypto from 'node:crypto';
import productsFile from './ocop-products.json' with { type: 'json' };
import extraFile from './catalogue-extra.json' with { type: 'json' };

/** The researched seed catalogue joined with the hand-written enrichment, one record per product. */
export interface SeedProduct {
  index: number;
  nameVi: string;
  nameEn: string;
  producerName: string;
  provinceName: string;
  oldLocation: string;
  stars: number;
  groupCode: string;
  subgroupCode: string;
  storyVi: string;
  note?: string;
  extra: {
    product_slug: string;
    producer_slug: string;
    producer_type: 'enterprise' | 'cooperative' | 'cooperative_group' | 'household' | 'farm';
    commune: string;
    historical_address: string;
    description_vi: string;
    description_en: string;
    story_en: string;
    producer_story_vi: string;
    producer_story_en: string;
    unit_vi: string;
    unit_en: string;
    /** Shipping weight: the contents plus their packaging (tests/unit/seed-data.test.ts checks it against the unit). */
    weight_grams: number;
    /** For contents sold by volume (ml): grams per millilitre, so the weight can be checked. */
    density_g_per_ml?: number;
    price: number;
    standards: string[];
    material_area_vi: string;
    material_area_en: string;
    palette: [string, string];
    motif: string;
  };
}

const extra = extraFile as unknown as Record<string, SeedProduct['extra']>;

export const seedProducts: SeedProduct[] = productsFile.products.map((p, index) => {
  const e = extra[p.name_vi];
  if (!e) throw new Error(`catalogue-extra.json has no entry for ${p.name_vi}`);
  return {
    index,
    nameVi: p.name_vi,
    nameEn: p.name_en,
    producerName: p.producer.replace(/\s*\(unconfirmed\)\s*/i, '').trim(),
    provinceName: p.province_2025,
    oldLocation: p.old_location,
    stars: p.stars,
    groupCode: p.group_code,
    subgroupCode: p.subgroup_code,
    storyVi: p.story_vi,
    note: (p as { note?: string }).note,
    extra: e,
  };
});

/** Deterministic pseudo-random numbers per key, so the demo is the same on every machine. */
export function rng(key: string): () => number {
  let state = crypto.createHash('sha256').update(key).digest().readUInt32LE(0);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function intBetween(r: () => number, min: number, max: number): number {
  return min + Math.floor(r() * (max - min + 1));
}

/** Gift combos that mix producers: [slug, vi, en, description vi, description en, product slugs]. */
export const seedCombos: Array<{ slug: string; vi: string; en: string; dvi: string; den: string; items: Array<[number, number]> }> = [
  { slug: 'huong-vi-bien-viet', vi: 'Hương vị biển Việt', en: 'Taste of the Vietnamese sea', dvi: 'Ba loại nước chấm từ ba vùng biển: nước mắm truyền thống, mắm tôm và nước mắm Phú Quốc.', den: 'Three coastal condiments from three seas: traditional fish sauce, shrimp paste and Phu Quoc fish sauce.', items: [[0, 1], [2, 1], [20, 1]] },
  { slug: 'tra-viet-ba-mien', vi: 'Trà Việt ba miền', en: 'Teas of three regions', dvi: 'Chè Tân Cương, trà hoa vàng Ba Chẽ và chè Shan tuyết cổ thụ trong một hộp quà.', den: 'Tan Cuong green tea, Ba Che golden camellia tea and ancient Shan tuyet tea in one gift box.', items: [[24, 1], [23, 1], [44, 1]] },
  { slug: 'ca-phe-mat-ong-tay-nguyen', vi: 'Cà phê và mật ong cao nguyên', en: 'Highland coffee and honey', dvi: 'Cà phê chồn Đắk Lắk, cà phê Chư Mui Lâm Đồng và mật ong Gia Lai.', den: 'Weasel coffee from Dak Lak, Chu Mui coffee from Lam Dong and Gia Lai honey.', items: [[40, 1], [41, 1], [43, 1]] },
  { slug: 'qua-tet-an-lanh', vi: 'Quà Tết an lành', en: 'Peaceful Tet gift', dvi: 'Bánh đậu xanh vị trà xanh, rượu nếp cái hoa vàng và mật hoa dừa cho ngày Tết.', den: 'Green-tea mung bean cakes, yellow sticky rice wine and coconut blossom nectar for Tet.', items: [[17, 2], [18, 1], [21, 1]] },
  { slug: 'gao-sach-ba-mien', vi: 'Gạo sạch ba miền', en: 'Clean rice of three regions', dvi: 'Gạo hữu cơ Bãi Rươi, gạo hữu cơ An Lỗ và gạo DAKA vùng cao.', den: 'Bai Ruoi organic rice, An Lo organic rice and highland DAKA rice.', items: [[15, 1], [28, 1], [10, 1]] },
  { slug: 'thao-duoc-mien-trung', vi: 'Thảo dược miền Trung', en: 'Herbs of Central Vietnam', dvi: 'Cao cà gai leo, tinh dầu quế Trà My và cao bồ kết thảo dược.', den: 'Cat\'s-claw extract, Tra My cinnamon oil and herbal soapberry shampoo.', items: [[30, 1], [32, 1], [48, 1]] },
  { slug: 'gia-vi-bep-viet', vi: 'Gia vị bếp Việt', en: 'Vietnamese kitchen spices', dvi: 'Hành tím Bình Hải, tinh bột nghệ Bình Châu và dầu phụng ép thủ công.', den: 'Binh Hai purple shallots, Binh Chau turmeric starch and hand-pressed peanut oil.', items: [[5, 2], [7, 1], [12, 1]] },
];

/**
 * The ratings a Vietnamese story tells, as (stars, year): "đạt OCOP 3 sao năm 2022", "5 sao đầu
 * tiên (2021) và được công nhận lại năm 2024". The seed issues certificates in those years (and
 * re-recognises them every 36 months up to today), so a story never says "5★ in 2022" beside a
 * certificate first issued in 2026; tests/integration/seed.test.ts checks the seeded data with it.
 */
export function ratingsInStory(story: string): Array<{ stars: number; year: number }> {
  const out: Array<{ stars: number; year: number }> = [];
  for (const clause of story.split(/[.;](?:\s|$)/)) {
    const star = /(?<!\d)([3-5]) sao/.exec(clause);
    if (!star) continue;
    const stars = Number(star[1]);
    const year = /\b(20[12]\d)\b/.exec(clause.slice(star.index));
    if (year) out.push({ stars, year: Number(year[1]) });
    const again = /công nhận lại năm (20[12]\d)/.exec(clause);
    if (again && Number(again[1]) !== out.at(-1)?.year) out.push({ stars, year: Number(again[1]) });
  }
  return out;
}

/** Products whose certificate story the demo tells on purpose. */
export const CERT_SCENARIOS = {
  /** Expires within 30 days of the day the demo is seeded. */
  expiring: 0,
  /** Expired in 2024 and was not re-evaluated (see the product's note). */
  expired: 6,
  /** Renewed after expiry: the old certificate is kept in history. */
  renewed: 7,
  /** First 5★ in 2021, re-recognised in 2024. */
  reRecognised: 2,
  /** Revoked after a post-certification check. */
  revoked: 16,
} as const;
