/**
 * The verdict on a scan (DESIGN.md §3). A genuine product is scanned a few times by the few
 * people who handle it; a stamp copied onto many fakes is scanned far more often, on many days.
 */
export type Verdict = 'genuine' | 'warning' | 'unknown' | 'voided';
export type WarningReason = 'many_scans' | 'not_released' | null;
/**
 * What overrides everything else on the page: a recall, then a revoked certificate, then a
 * suspended producer. The stamp can still be genuine; the page then gives ONE verdict that says
 * both (provenance.template.ts), never a green "valid" under a red banner.
 */
export type Alert = 'recall' | 'certificate_revoked' | 'producer_suspended' | null;

/** More scans than this, or scans on more distinct days than this, is implausible for one item. */
export const MAX_PLAUSIBLE_SCANS = 20;
export const MAX_PLAUSIBLE_DAYS = 5;

export interface VerdictInput {
  status: 'issued' | 'active' | 'sold' | 'verified' | 'voided';
  runVoided: boolean;
  scanCount: number;
  scanDays: number;
}

export function verdictFor(s: VerdictInput | null): { verdict: Verdict; reason: WarningReason } {
  if (!s) return { verdict: 'unknown', reason: null };
  if (s.status === 'voided' || s.runVoided) return { verdict: 'voided', reason: null };
  if (s.scanCount > MAX_PLAUSIBLE_SCANS || s.scanDays > MAX_PLAUSIBLE_DAYS) return { verdict: 'warning', reason: 'many_scans' };
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
