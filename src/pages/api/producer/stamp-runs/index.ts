import type { APIRoute } from 'astro';
import { requireProducer } from '../../../../lib/auth/index.ts';
import { issueStampsForLot, ownRunSheet, ownStampRuns, readJson, sheetLinks } from '../../../../lib/backoffice/index.ts';
import { AppError } from '../../../../lib/errors/index.ts';
import { download, json } from '../../../../lib/http/index.ts';

/**
 * GET ?lotId=: the producer's stamp runs (newest first). POST { lot | lotId, count, format?, note?, product? }:
 * issues a run → 201 with the run and its stamps' codes and URLs (format json), or the print sheet itself (pdf, svg).
 */
export const GET: APIRoute = async ({ locals, url }) => {
  const raw = url.searchParams.get('lotId') ?? url.searchParams.get('lot');
  if (raw !== null && !/^\d{1,9}$/.test(raw)) throw new AppError('INVALID_DATA', 'stamps.invalid', 'lotId must be a lot id.', { fields: { lotId: 'invalid' } });
  const runs = await ownStampRuns(requireProducer(locals.user), raw === null ? {} : { lotId: Number(raw) });
  return json({ runs: runs.map((r) => ({ ...r, sheets: sheetLinks(r.id) })) });
};

export const POST: APIRoute = async ({ locals, request, url }) => {
  const user = requireProducer(locals.user);
  const { format, run } = await issueStampsForLot(user, await readJson(request), { origin: url.origin });
  const location = `/api/producer/stamp-runs/${run.id}`;
  if (format === 'json') return json({ ...run, sheets: sheetLinks(run.id) }, { status: 201, headers: { Location: location } });
  const sheet = await ownRunSheet(user, run.id, format, { origin: url.origin, tagline: locals.t('stamps.sheet.tagline'), locale: locals.locale });
  return download(sheet.body, sheet, { status: 201, headers: { Location: location, 'X-Stamp-Run': String(run.id), 'X-Sheet-Pages': String(sheet.pages) } });
};
