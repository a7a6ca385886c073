import type { APIRoute } from 'astro';
import { json } from '../../../lib/http/index.ts';
import { provenanceJson, traceStamp } from '../../../lib/trace/index.ts';
import { publicOrigin } from '../../../lib/stamps/index.ts';

// GET /api/trace/<code> (DESIGN.md §6): the provenance as JSON. Reading it is not a scan.
export const GET: APIRoute = async ({ params, url }) => {
  const result = await traceStamp(params.code ?? '');
  if (!result.found) {
    return json({ verdict: 'unknown', code: result.code, error: { code: 'trace.unknown_code', message: 'No stamp has this code: it may be counterfeit or mistyped.' } }, { status: 404 });
  }
  return json(provenanceJson(result.provenance, publicOrigin(url.origin)));
};
