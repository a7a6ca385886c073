import type { APIRoute } from 'astro';
import { json, jsonError, notFound } from '../../../../../lib/http/index.ts';
import { exportLotEpcis } from '../../../../../lib/trace/index.ts';
import { publicOrigin } from '../../../../../lib/stamps/index.ts';

// GET /api/trace/lots/<id>/epcis: the lot's events as an EPCIS 2.0 JSON-LD document.
export const GET: APIRoute = async ({ params, url }) => {
  const id = /^\d{1,9}$/.test(params.id ?? '') ? Number(params.id) : 0;
  const doc = id ? await exportLotEpcis(id, publicOrigin(url.origin)) : null;
  if (!doc) return jsonError(notFound('trace.lot_not_found', 'No such lot.'));
  return json(doc, { headers: { 'Content-Type': 'application/ld+json; charset=utf-8', 'Access-Control-Allow-Origin': '*' } });
};
