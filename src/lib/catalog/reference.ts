import groupsData from '../../../db/reference/ocop-groups.json' with { type: 'json' };
import provincesData from '../../../db/reference/provinces-2025.json' with { type: 'json' };
import type { Labelled } from './catalog.types.ts';

/**
 * Reference data from the researched files: the six OCOP groups with their 26 product sets
 * (Decision 148/QĐ-TTg, Annex I) and the 34 provinces since 1 July 2025. Bundled with the code so
 * labels need no query; synced into the database (for foreign keys) at start-up.
 */
export interface GroupRef extends Labelled {
  subgroups: Array<Labelled & { category: string }>;
}
export interface ProvinceRef extends Labelled {
  isCity: boolean;
  formerly: string[];
}

export const groups: GroupRef[] = groupsData.groups.map((g) => ({
  code: g.code,
  vi: g.vi,
  en: g.en,
  subgroups: g.subgroups.map((s) => ({ code: s.code, vi: s.vi, en: s.en, category: 'category' in s ? s.category : '' })),
}));

export const provinces: ProvinceRef[] = provincesData.provinces.map((p) => ({
  code: p.code,
  vi: p.vi,
  en: p.en,
  isCity: p.city,
  formerly: p.formerly,
}));

const groupByCode = new Map(groups.map((g) => [g.code, g]));
const subgroupByCode = new Map(groups.flatMap((g) => g.subgroups.map((s) => [s.code, { ...s, groupCode: g.code }] as const)));
const provinceByCode = new Map(provinces.map((p) => [p.code, p]));

/** Lower-case, strip diacritics (đ → d), collapse spaces: for accent-insensitive matching. */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

const unknown = (code: string): Labelled => ({ code, vi: code, en: code });

export function groupLabel(code: string): Labelled {
  const g = groupByCode.get(code);
  return g ? { code: g.code, vi: g.vi, en: g.en } : unknown(code);
}

export function subgroupLabel(code: string): Labelled {
  const s = subgroupByCode.get(code);
  return s ? { code: s.code, vi: s.vi, en: s.en } : unknown(code);
}

export function provinceLabel(code: string): Labelled {
  const p = provinceByCode.get(code);
  return p ? { code: p.code, vi: p.vi, en: p.en } : unknown(code);
}

export function isGroup(code: string): boolean {
  return groupByCode.has(code);
}
export function isSubgroup(code: string): boolean {
  return subgroupByCode.has(code);
}
export function isProvince(code: string): boolean {
  return provinceByCode.has(code);
}

const provinceByName = new Map<string, string>();
for (const p of provinces) {
  for (const name of [p.code, p.vi, p.en, p.vi.replace(/^Thành phố /, '')]) provinceByName.set(fold(name).replace(/-/g, ' '), p.code);
}

/**
 * Finds one of the 34 provinces by code or name, accent- and case-insensitive ("Ha Noi",
 * "thành phố hà nội", "hanoi", "ha-noi"). Former provinces are not accepted: an address must name
 * the current unit.
 */
export function findProvince(input: string): ProvinceRef | null {
  const key = fold(input).replace(/-/g, ' ').replace(/^(tinh|thanh pho|tp\.?) /, '');
  const code = provinceByName.get(key) ?? provinceByName.get(key.replace(/ /g, ''));
  return code ? provinceByCode.get(code)! : null;
}

/** Maps a pre-2025 province name (as on old certificates) to the current province. */
export function provinceForFormerName(name: string): ProvinceRef | null {
  const key = fold(name);
  return provinces.find((p) => p.formerly.some((f) => fold(f) === key)) ?? null;
}
