import type { APIRoute } from 'astro';
import { AppError, isAppError } from '../../../lib/errors/index.ts';
import { json } from '../../../lib/http/index.ts';
import { createT } from '../../../lib/i18n/index.ts';
import { apiLocale } from '../../../lib/orders/index.ts';
import { listPointsOfSale, pointOfSaleJson } from '../../../lib/places/index.ts';

/** GET /api/points-of-sale?province=&kind=&product= — province by code or name, accent-insensitive. */
export const GET: APIRoute = async ({ request, url }) => {
  const q = url.searchParams;
  const province = q.get('province')?.slice(0, 100) ?? '';
  try {
    const result = await listPointsOfSale({ province, kind: q.get('kind')?.slice(0, 40), product: q.get('product')?.slice(0, 200) });
    return json({
      pointsOfSale: result.pointsOfSale.map((p) => pointOfSaleJson(p)),
      total: result.pointsOfSale.length,
      filters: { province: result.province?.code ?? null, kind: result.kind },
    });
  } catch (e) {
    if (!isAppError(e) || e.code !== 'places.invalid_filter') throw e;
    const t = createT(apiLocale(request, url));
    const fields: Record<string, string> = {};
    if (e.fields?.province) fields.province = t('places.error.unknownProvince', { value: province });
    if (e.fields?.kind) fields.kind = t('places.error.unknownKind');
    throw new AppError('INVALID_DATA', e.code, Object.values(fields).join(' '), { fields });
  }
};
