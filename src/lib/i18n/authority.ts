import { fold } from '../catalog/reference.ts';

/**
 * Certifying authorities are stored as written on the certificate, in Vietnamese ("Bộ Nông nghiệp
 * và Môi trường", "UBND tỉnh Quảng Nam", "UBND huyện Tây Sơn"). English pages show them in English,
 * the place name without diacritics as English-language maps write it; anything not recognised
 * is shown as written.
 */
const MINISTRIES: Array<[string, string]> = [
  ['bo nong nghiep va moi truong', 'Ministry of Agriculture and Environment'],
  ['bo nong nghiep va phat trien nong thon', 'Ministry of Agriculture and Rural Development'],
];
const COUNCILS: Array<[RegExp, string]> = [
  [/^(?:ubnd|uy ban nhan dan) tinh (.+)$/, '{place} Provincial People’s Committee'],
  [/^(?:ubnd|uy ban nhan dan) thanh pho (.+)$/, '{place} City People’s Committee'],
  [/^(?:ubnd|uy ban nhan dan) (?:huyen) (.+)$/, '{place} District People’s Committee'],
  [/^(?:ubnd|uy ban nhan dan) (?:thi xa) (.+)$/, '{place} Town People’s Committee'],
  [/^(?:ubnd|uy ban nhan dan) (?:xa) (.+)$/, '{place} Commune People’s Committee'],
  [/^(?:ubnd|uy ban nhan dan) cap huyen \((.+)\)$/, 'District People’s Committee ({place})'],
];

const titleCase = (s: string) => s.replace(/\b\p{L}/gu, (c) => c.toUpperCase());

export function authorityName(text: string, locale: 'vi' | 'en'): string {
  if (locale === 'vi') return text;
  const key = fold(text).replace(/[.,;]+$/, '');
  for (const [vi, en] of MINISTRIES) if (key === vi) return en;
  for (const [pattern, en] of COUNCILS) {
    const m = pattern.exec(key);
    if (m) return en.replace('{place}', titleCase(m[1]!));
  }
  return text;
}
