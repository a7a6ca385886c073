import type { APIRoute } from 'astro';
import { handleLotPage } from '../../../lib/trace/index.ts';

// A lot's provenance (the GS1 Digital Link /01/<gtin>/10/<lot> leads here).
const serve = (head: boolean): APIRoute => async ({ params, locals, request }) => {
  // /en/t/lot/<id> reaches this endpoint through the middleware's rewrite, which leaves params empty.
  const raw = params.id ?? /\/t\/lot\/([^/]+)\/?$/.exec(new URL(request.url).pathname)?.[1] ?? '';
  const id = /^\d{1,9}$/.test(raw) ? Number(raw) : 0;
  const reply = await handleLotPage(id, locals.locale);
  return new Response(head ? null : reply.body, { status: reply.status, headers: reply.headers });
};
export const GET = serve(false);
export const HEAD = serve(true);
