import type { APIRoute } from 'astro';
import { requireProducer } from '../../../../../lib/auth/index.ts';
import { ownRunSheet } from '../../../../../lib/backoffice/index.ts';
import { AppError } from '../../../../../lib/errors/index.ts';
import { download } from '../../../../../lib/http/index.ts';
import { createT } from '../../../../../lib/i18n/index.ts';

/**
 * The print sheet of one of the producer's runs: sheet.pdf (A4, 35 labels a page) or sheet.svg,
 * product name and tagline in Vietnamese unless ?lang=en. Another producer's run is a 404.
 */
export const GET: APIRoute = async ({ locals, params, url }) => {
  const user = requireProducer(locals.user);
  const format = params.format;
  if (format !== 'pdf' && format !== 'svg') throw new AppError('NOT_FOUND', 'stamps.sheet_format', 'Sheets come as .pdf or .svg.');
  const locale = url.searchParams.get('lang') === 'en' ? 'en' : 'vi';
  const sheet = await ownRunSheet(user, Number(params.id), format, { origin: url.origin, tagline: createT(locale)('stamps.sheet.tagline'), locale });
  return download(sheet.body, sheet, { headers: { 'X-Sheet-Pages': String(sheet.pages), 'X-Sheet-Labels': String(sheet.labels) } });
};
