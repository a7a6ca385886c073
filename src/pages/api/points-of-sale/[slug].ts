import type { APIRoute } from 'astro';
import { json, notFound } from '../../../lib/http/index.ts';
import { getPointOfSale, pointOfSaleJson } from '../../../lib/places/index.ts';

/** GET /api/points-of-sale/<slug> — one point of sale with the products it stocks. */
export const GET: APIRoute = async ({ params }) => {
  const place = await getPointOfSale(params.slug ?? '');
  if (!place) throw notFound('places.not_found', 'No such point of sale');
  return json(pointOfSaleJson(place, place.products));
};
