import type { APIRoute } from 'astro';
import { getProduct } from '../../../lib/catalog/index.ts';
import { productJson } from '../../../lib/catalog/catalog.json.ts';
import { json, jsonError, notFound } from '../../../lib/http/index.ts';

export const GET: APIRoute = async ({ params, url }) => {
  const product = await getProduct(params.slug ?? '');
  if (!product) return jsonError(notFound('catalog.product_not_found', 'No such product.'));
  return json(productJson(product, url.origin), { headers: { 'Cache-Control': 'public, max-age=30' } });
};
