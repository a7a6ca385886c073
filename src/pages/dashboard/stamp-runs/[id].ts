import type { APIRoute } from 'astro';
import { requireProducer } from '../../../lib/auth/index.ts';
import { AppError } from '../../../lib/errors/index.ts';

/**
 * /dashboard/stamp-runs/<run>?format=pdf|svg — the print sheet of a run, as the dashboard's links
 * and older notes name it: a redirect to the sheet download (/api/producer/stamp-runs/<run>/sheet.<format>,
 * which checks the run is the producer's own), in the page's language. PDF unless svg is asked for.
 */
export const GET: APIRoute = ({ locals, params, url }) => {
  requireProducer(locals.user);
  const id = params.id ?? '';
  const format = url.searchParams.get('format') ?? 'pdf';
  if (!/^\d{1,12}$/.test(id) || (format !== 'pdf' && format !== 'svg')) throw new AppError('NOT_FOUND', 'stamps.run_not_found', 'No such stamp run or sheet format (pdf or svg).');
  const lang = locals.locale === 'en' || url.searchParams.get('lang') === 'en' ? '?lang=en' : '';
  return new Response(null, { status: 303, headers: { Location: `/api/producer/stamp-runs/${id}/sheet.${format}${lang}`, 'Cache-Control': 'no-store' } });
};
