import type { APIRoute } from 'astro';
import { AppError, isAppError } from '../../../lib/errors/index.ts';
import { json } from '../../../lib/http/index.ts';
import { createT } from '../../../lib/i18n/index.ts';
import { apiLocale, publicOrigin } from '../../../lib/orders/index.ts';
import { recentCounterSales, recordCounterSale, refusalMessage } from '../../../lib/places/index.ts';

/** POST /api/pos/sales `{ code }` (counter staff session): 201 sold; 404 unknown code; 409 voided, recalled, already sold… with the reason. */
export const POST: APIRoute = async ({ request, url, locals }) => {
  const locale = apiLocale(request, url);
  const t = createT(locale);
  const body = await request.json().catch(() => null) as { code?: unknown } | null;
  if (!body || typeof body.code !== 'string' || body.code.length > 200) {
    throw new AppError('INVALID_DATA', 'pos.invalid', t('places.pos.refused.unknown'), { fields: { code: 'required' } });
  }
  try {
    const sale = await recordCounterSale({ code: body.code, userId: locals.user!.id });
    return json({ code: sale.code, soldAt: sale.soldAt.toISOString(), product: sale.product, lot: sale.lot, stampUrl: `${publicOrigin(url)}/t/${sale.code}` }, { status: 201 });
  } catch (e) {
    if (!isAppError(e) || !e.code.startsWith('pos.')) throw e;
    throw new AppError(e.kind, e.code, refusalMessage(e, t, locale), { details: e.details });
  }
};

/** GET /api/pos/sales — this counter's recent sales. */
export const GET: APIRoute = async ({ locals }) => {
  const sales = await recentCounterSales(locals.user!.id, 50);
  return json({ sales: sales.map((s) => ({ code: s.code, soldAt: s.soldAt.toISOString(), product: { slug: s.productSlug, name: { vi: s.nameVi, en: s.nameEn } }, lot: s.lotCode, soldBy: s.soldBy })) });
};
