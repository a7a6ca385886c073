import type { APIRoute } from 'astro';
import { parseSearchParams, searchProducts } from '../../lib/search/index.ts';
import { searchHitJson } from '../../lib/catalog/catalog.json.ts';
import { json } from '../../lib/http/index.ts';

export const GET: APIRoute = async ({ url }) => {
  const query = parseSearchParams(url.searchParams);
  const locale = url.searchParams.get('lang') === 'en' ? 'en' : 'vi';
  const result = await searchProducts(query);
  return json({
    hits: result.hits.map((h) => searchHitJson(h, locale)),
    total: result.total,
    page: result.page,
    limit: result.limit,
    pages: result.pages,
    facets: result.facets,
    query: { q: query.q, group: query.groups, stars: query.stars, province: query.provinces, sort: query.sort },
  });
};
