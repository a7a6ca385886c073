import type { APIRoute } from 'astro';
import { requireProducer } from '../../../../lib/auth/index.ts';
import { ownStampRun, sheetLinks } from '../../../../lib/backoffice/index.ts';
import { json } from '../../../../lib/http/index.ts';

/** One of the producer's runs with every stamp (code, URL, status, scans). */
export const GET: APIRoute = async ({ locals, params, url }) => {
  const run = await ownStampRun(requireProducer(locals.user), Number(params.id), url.origin);
  return json({ ...run, sheets: sheetLinks(run.id) });
};
