import { db } from '../db/index.ts';
import { formatDateTime, type Locale, type Translator } from '../i18n/index.ts';
import { AppError } from '../errors/index.ts';
import { normalizeStampCode, stampSecret, verifyStampCode, type SoldPlace } from '../stamps/index.ts';
import { recordRetailSale } from '../trace/index.ts';
import * as repo from './places.repository.ts';

/**
 * Counter sales: a point of sale's staff types or scans a stamp code and records the sale. The
 * stamp goes active → sold, remembers where (stamps.sold_place, shown on its provenance page) and
 * its lot's timeline gets a retail_selling event at this place. A stamp is sold once: its row is
 * locked before it is checked (a racing sale waits, then reads it sold) and counter_sales has one
 * row per stamp.
 */
export const REFUSALS = ['unknown', 'voided', 'recalled', 'already_sold', 'not_released', 'revoked', 'not_on_sale'] as const;
export type Refusal = (typeof REFUSALS)[number];

export interface CounterSale {
  code: string;
  soldAt: Date;
  product: { slug: string; name: { vi: string; en: string } };
  lot: string;
}

/** Refused: 404 for a code that is no stamp, 409 for a stamp that may not be sold, with the reason. */
export function refused(reason: Refusal, details: Record<string, unknown> = {}): AppError {
  return new AppError(reason === 'unknown' ? 'NOT_FOUND' : 'CONFLICT', `pos.${reason}`, `Stamp not sold: ${reason}`, { details: { reason, ...details } });
}

export async function recordCounterSale(input: { code: string; userId: number; at?: Date }): Promise<CounterSale> {
  const code = normalizeStampCode(input.code);
  // The keyed check rejects a mistyped or forged code without a query.
  if (!code || !verifyStampCode(code, stampSecret())) throw refused('unknown');
  const d = await db();
  return d.transaction(async (tx) => {
    const place = await repo.selectStaffPlace(tx, input.userId);
    if (!place) throw new AppError('FORBIDDEN', 'pos.no_place', 'This account does not work for a point of sale', { details: { reason: 'no_place' } });
    if (place.status !== 'open') throw new AppError('CONFLICT', 'pos.place_closed', 'This point of sale is closed', { details: { reason: 'place_closed' } });
    const stamp = await repo.lockSaleStamp(tx, code);
    if (!stamp) throw refused('unknown');
    if (stamp.status === 'voided' || stamp.runVoided) throw refused('voided');
    if (stamp.status === 'sold' || stamp.status === 'verified') {
      throw refused('already_sold', { soldAt: stamp.soldAt?.toISOString() ?? null, place: stamp.soldPlace });
    }
    if (stamp.lotRecalled) throw refused('recalled', { recallReason: stamp.recallReason });
    if (stamp.status !== 'active') throw refused('not_released');
    if (stamp.certStatus === 'revoked') throw refused('revoked');
    if (stamp.productStatus !== 'published' || stamp.producerSuspended) throw refused('not_on_sale');
    const at = input.at ?? new Date();
    if (!(await repo.insertCounterSale(tx, { pointOfSaleId: place.id, stampId: stamp.stampId, productId: stamp.productId, lotId: stamp.lotId, soldBy: input.userId, soldAt: at }))) {
      throw refused('already_sold');
    }
    const soldPlace: SoldPlace = { slug: place.slug, nameVi: place.nameVi, nameEn: place.nameEn, provinceCode: place.provinceCode };
    await recordRetailSale(tx, {
      codes: [code], at, seller: place.nameVi, reference: place.nameVi,
      place: { ...soldPlace, latitude: place.latitude, longitude: place.longitude },
    });
    return { code, soldAt: at, product: { slug: stamp.productSlug, name: { vi: stamp.nameVi, en: stamp.nameEn } }, lot: stamp.lotCode };
  });
}

export async function recentCounterSales(userId: number, limit = 20): Promise<repo.CounterSaleRow[]> {
  const d = await db();
  const place = await repo.selectStaffPlace(d, userId);
  return place ? repo.selectRecentSales(d, place.id, limit) : [];
}

/** The refusal of a counter sale in the staff's language, with the recall reason or the earlier sale's date when known. */
export function refusalMessage(err: AppError, t: Translator, locale: Locale): string {
  const reason = String(err.details?.reason ?? err.code.replace(/^pos\./, ''));
  if (reason === 'recalled' && err.details?.recallReason) return t('places.pos.refused.recalledWhy', { reason: String(err.details.recallReason) });
  if (reason === 'already_sold' && err.details?.soldAt) return t('places.pos.refused.already_soldAt', { date: formatDateTime(String(err.details.soldAt), locale) });
  if (reason === 'place_closed') return t('places.pos.refused.place_closed');
  if (reason === 'no_place') return t('places.pos.noPlace');
  return (REFUSALS as readonly string[]).includes(reason) ? t(`places.pos.refused.${reason as Refusal}`) : err.message;
}
