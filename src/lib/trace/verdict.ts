/**
 * The verdict on a scan (DESIGN.md §3). A genuine product is scanned a few times by the few
 * people who handle it; a stamp copied onto many fakes is scanned in many places.
 *
 * The clone warning rests on evidence one visitor cannot fake cheaply (issue 12, item 3): reloading
 * a page, or scanning it every day from one phone, comes from one client network, and repeated
 * scans of one network count once. What is counted is distinct client networks (IPv4 /16, IPv6
 * /32 — lib/http networkPrefix), overall and within one day (Vietnam time):
 *   - more than MAX_PLAUSIBLE_NETWORKS networks ever: one code scanned all over the country;
 *   - more than MAX_NETWORKS_PER_DAY networks in one day: copies in several places at once;
 *   - scans on more than MAX_PLAUSIBLE_DAYS days from at least MIN_NETWORKS_FOR_DAYS networks:
 *     copies that keep turning up, from more than the buyer's home and phone.
 * The raw scan count and days are still shown on the page, but alone they never brand a stamp.
 */
export type Verdict = 'genuine' | 'warning' | 'unknown' | 'voided';
export type WarningReason = 'many_scans' | 'not_released' | null;
/**
 * What overrides everything else on the page: a recall, then a revoked certificate, then a
 * suspended producer. The stamp can still be genuine; the page then gives ONE verdict that says
 * both (provenance.template.ts), never a green "valid" under a red banner.
 */
export type Alert = 'recall' | 'certificate_revoked' | 'producer_suspended' | null;

/** Distinct client networks that plausibly scan one genuine item (shop, buyer, family, gift recipient). */
export const MAX_PLAUSIBLE_NETWORKS = 8;
/** Distinct client networks in one day beyond which the code is in several places at once. */
export const MAX_NETWORKS_PER_DAY = 4;
/** Days with scans beyond which a stamp seen from several networks is suspicious. */
export const MAX_PLAUSIBLE_DAYS = 5;
export const MIN_NETWORKS_FOR_DAYS = 3;

export interface VerdictInput {
  status: 'issued' | 'active' | 'sold' | 'verified' | 'voided';
  runVoided: boolean;
  /** Distinct Vietnam-time days with scans. */
  scanDays: number;
  /** Distinct client networks that scanned the stamp. */
  networks: number;
  /** The most distinct client networks that scanned it within one day. */
  peakDayNetworks: number;
}

export function isCloneEvidence(s: Pick<VerdictInput, 'scanDays' | 'networks' | 'peakDayNetworks'>): boolean {
  return s.networks > MAX_PLAUSIBLE_NETWORKS
    || s.peakDayNetworks > MAX_NETWORKS_PER_DAY
    || (s.scanDays > MAX_PLAUSIBLE_DAYS && s.networks >= MIN_NETWORKS_FOR_DAYS);
}

export function verdictFor(s: VerdictInput | null): { verdict: Verdict; reason: WarningReason } {
  if (!s) return { verdict: 'unknown', reason: null };
  if (s.status === 'voided' || s.runVoided) return { verdict: 'voided', reason: null };
  if (isCloneEvidence(s)) return { verdict: 'warning', reason: 'many_scans' };
  // Stamps of a lot not yet released should not be on shelves: stolen or leaked stamps.
  if (s.status === 'issued') return { verdict: 'warning', reason: 'not_released' };
  return { verdict: 'genuine', reason: null };
}

export function alertFor(lotStatus: string | null, certificateStatus: string | null, producerStatus: string | null = null, lotRecalledAt: unknown = null): Alert {
  if (lotStatus === 'recalled' || (lotRecalledAt !== null && lotRecalledAt !== undefined)) return 'recall';
  if (certificateStatus === 'revoked') return 'certificate_revoked';
  if (producerStatus === 'suspended') return 'producer_suspended';
  return null;
}
