/**
 * OCOP rating rules as data (Decision 148/QĐ-TTg as amended by 1489/QĐ-TTg), so that a new
 * decision can be encoded without code changes elsewhere.
 */
export interface StarBand {
  stars: 1 | 2 | 3 | 4 | 5;
  /** Inclusive lower bound of the council's average score. */
  minScore: number;
}

/** 1★ < 30, 2★ 30–<50, 3★ 50–<70, 4★ 70–<90, 5★ 90–100. */
export const STAR_BANDS: readonly StarBand[] = [
  { stars: 5, minScore: 90 },
  { stars: 4, minScore: 70 },
  { stars: 3, minScore: 50 },
  { stars: 2, minScore: 30 },
  { stars: 1, minScore: 0 },
];

/** Only 3★ and above are certified and may carry the OCOP mark. */
export const MIN_CERTIFIED_STARS = 3;
/** Council members' scores may differ by at most this many points. */
export const MAX_SCORE_SPREAD = 10;
/**
 * The score sheet's three parts and their maxima (A product and community strength 40, B marketing
 * capacity 25, C product quality 35: Decision 148/QĐ-TTg).
 */
export const SCORE_PARTS = { a: 40, b: 25, c: 35 } as const;
export type ScorePart = keyof typeof SCORE_PARTS;

/**
 * Council rules from the provinces' council regulations (*unconfirmed wording*, hence data):
 * at most 11 members; a meeting needs at least 75 % of the appointed members, the chair among them;
 * an average of 90 or more goes to the central level for 5★ (Decision 1489/QĐ-TTg).
 */
export const COUNCIL_RULES = { maxMembers: 11, minMembers: 2, quorumShare: 0.75, centralMinScore: 90 } as const;

/** Members who must be present for a council of `size` appointed members to sit. */
export function quorumFor(size: number): number {
  return Math.ceil(size * COUNCIL_RULES.quorumShare - 1e-9);
}

/** A certificate is valid for 36 months from its date of issue. */
export const VALIDITY_MONTHS = 36;

export function starsForScore(score: number): StarBand['stars'] {
  if (!Number.isFinite(score) || score < 0 || score > 100) throw new RangeError(`score out of range: ${score}`);
  return STAR_BANDS.find((b) => score >= b.minScore)!.stars;
}

/** Which authority level certifies which stars, by the date of the decision. */
export function certifyingLevel(stars: number, on: string): 'district' | 'province' | 'central' {
  if (stars >= 5) return 'central';
  // From 1 July 2025 (Decision 1489/QĐ-TTg) districts are gone: the province certifies 3★ and 4★.
  if (on >= '2025-07-01') return 'province';
  return stars === 4 ? 'province' : 'district';
}

/** The valid-until date: same day 36 months later (end of month when that day does not exist). */
export function validUntil(issuedOn: string): string {
  const [y, m, d] = issuedOn.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + VALIDITY_MONTHS, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, lastDay));
  return target.toISOString().slice(0, 10);
}
