import { db as getDb } from '../db/index.ts';
import { certificateState } from '../catalog/index.ts';
import type { CurrentUser } from '../auth/index.ts';
import * as repo from './products.repository.ts';
import { stampWarnings } from './stamps.service.ts';

/** Units at or below which a published product counts as running low. */
export const LOW_STOCK = 5;

/**
 * The dashboard's first screen. Order parts to fulfil come from the orders area: MERGE POINT —
 * add `orderParts` (orders area) here when that module lands. Stamp warnings: stamps scanned
 * beyond the trace area's thresholds, before their lot's release or after being voided.
 */
export async function dashboardOverview(user: CurrentUser & { producerId: number }) {
  const [rows, stamps] = await Promise.all([repo.selectOwnProducts(await getDb(), user.producerId), stampWarnings(user)]);
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
    stampWarnings: stamps,
  };
}
