import type { APIRoute } from 'astro';
import { requireProducer } from '../../../lib/auth/index.ts';
import { AppError } from '../../../lib/errors/index.ts';
import { createT } from '../../../lib/i18n/index.ts';
import { renderPdf, renderSvg, runSheet } from '../../../lib/stamps/index.ts';

/** The print sheet (printed in Vietnamese whatever the dashboard's language) of one of the producer's stamp runs: `?format=pdf` (default) or `svg`, as a download. */
export const GET: APIRoute = async ({ locals, params, url }) => {
  const user = requireProducer(locals.user);
  const format = url.searchParams.get('format') ?? 'pdf';
  if (format !== 'pdf' && format !== 'svg') throw new AppError('INVALID_DATA', 'stamps.format', 'format must be pdf or svg', { fields: { format: 'pdf or svg' } });
  const id = /^\d{1,9}$/.test(params.id ?? '') ? Number(params.id) : NaN;
  const sheet = await runSheet(id, user.producerId, url.origin);
  const input = { productName: sheet.productName, lotCode: sheet.lotCode, tagline: createT('vi')('stampsui.tagline'), labels: sheet.labels };
  const name = `stamps-${sheet.lotCode.replace(/[^\w-]/g, '_')}-run${id}.${format}`;
  const headers = { 'content-disposition': `attachment; filename="${name}"`, 'cache-control': 'private, no-store', 'x-content-type-options': 'nosniff' };
  if (format === 'svg') return new Response(renderSvg(input), { headers: { ...headers, 'content-type': 'image/svg+xml; charset=utf-8' } });
  const { pdf } = await renderPdf(input);
  return new Response(new Uint8Array(pdf), { headers: { ...headers, 'content-type': 'application/pdf' } });
};
