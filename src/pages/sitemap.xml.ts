import type { APIRoute } from 'astro';
import { sitemapEntries } from '../lib/catalog/index.ts';
import { sitemapXml } from '../lib/storefront/index.ts';
import { publicOrigin } from '../lib/orders/index.ts';

/** Every public page, in Vietnamese and English, each with its hreflang alternates. */
export const GET: APIRoute = async ({ url }) =>
  new Response(sitemapXml(publicOrigin(url), await sitemapEntries()), {
    headers: { 'Content-Type': 'application/xml; charset=utf-8', 'Cache-Control': 'public, max-age=3600' },
  });
