import type { APIRoute } from 'astro';
import { jsonError, notFound } from '../../../../../lib/http/index.ts';
import { exportLotEpcis } from '../../../../../lib/trace/index.ts';
import { publicOrigin } from '../../../../../lib/stamps/index.ts';

// GET /api/trace/lots/<id>/epcis: the lot's events as an EPCIS 2.0 JSON-LD document.
export const GET: APIRoute = async ({ params, url }) => {
  const id = /^\d{1,9}$/.test(params.id ?? '') ? Number(params.id) : 0;
  const doc = id ? await exportLotEpcis(id, publicOrigin(url.origin)) : null;
  if (!doc) return jsonError(notFound('trace.lot_not_found', 'No such lot.'));
  // Served as the type the resolver's gs1:epcis link declares (json() would say application/json).
  return new Response(JSON.stringify(doc), { headers: { 'Content-Type': 'application/ld+json; charset=utf-8', 'Cache-Control': 'no-store', 'Access-Control-Allow-Origin': '*' } });
};
