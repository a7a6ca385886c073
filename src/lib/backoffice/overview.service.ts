import { db as getDb } from '../db/index.ts';
import { certificateState } from '../catalog/index.ts';
import type { CurrentUser } from '../auth/index.ts';
import * as repo from './products.repository.ts';

/** Units at or below which a published product counts as running low. */
export const LOW_STOCK = 5;

/**
 * The dashboard's first screen. Order parts to fulfil and stamp-scan warnings come from the
 * orders and stamps areas: MERGE POINT — add `orderParts` (orders area) and `stampWarnings`
 * (stamps/trace area) here when those modules land.
 */
export async function dashboardOverview(user: CurrentUser & { producerId: number }) {
  const rows = await repo.selectOwnProducts(await getDb(), user.producerId);
  const products = rows.map((r) => ({
    slug: r.slug, nameVi: r.name_vi, nameEn: r.name_en, stock: Number(r.stock), status: r.status, kind: r.kind,
    certificate: r.cert_status && r.cert_valid_until
      ? { stars: Number(r.cert_stars), validUntil: r.cert_valid_until, state: certificateState({ status: r.cert_status, validUntil: r.cert_valid_until }) }
      : null,
  }));
  return {
    counts: {
      published: products.filter((p) => p.status === 'published').length,
      draft: products.filter((p) => p.status === 'draft').length,
      total: products.length,
    },
    lowStock: products.filter((p) => p.status === 'published' && p.kind === 'goods' && p.stock <= LOW_STOCK),
    certificates: products.filter((p) => p.certificate && p.certificate.state !== 'valid'),
  };
}
