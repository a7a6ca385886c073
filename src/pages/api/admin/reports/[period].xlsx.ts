import type { APIRoute } from 'astro';
import { requireAdmin } from '../../../../lib/auth/index.ts';
import { download } from '../../../../lib/http/index.ts';
import { report, reportWorkbook } from '../../../../lib/programme/index.ts';

/** GET /api/admin/reports/<2026-11 | 2026-Q4 | 2026>.xlsx?province=&lang=: the periodic report as XLSX, the dashboard's numbers. */
export const GET: APIRoute = async ({ locals, params, url }) => {
  requireAdmin(locals.user);
  const r = await report(params.period ?? '', url.searchParams.get('province') || null);
  const body = await reportWorkbook(r, url.searchParams.get('lang') === 'en' ? 'en' : 'vi');
  return download(body, { filename: `bao-cao-ocop-${r.period.key}${r.province ? `-${r.province.code}` : ''}.xlsx`, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
};
