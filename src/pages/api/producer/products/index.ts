import type { APIRoute } from 'astro';
import { requireProducer } from '../../../../lib/auth/index.ts';
import { createProduct, listOwnProducts, readJson } from '../../../../lib/backoffice/index.ts';
import { json } from '../../../../lib/http/index.ts';

/** GET: the signed-in producer's products (all states). POST: a new product (draft unless said). */
export const GET: APIRoute = async ({ locals }) => json({ products: await listOwnProducts(requireProducer(locals.user)) });

export const POST: APIRoute = async ({ locals, request }) => {
  const product = await createProduct(requireProducer(locals.user), await readJson(request));
  return json(product, { status: 201, headers: { Location: `/api/producer/products/${product.slug}` } });
};
