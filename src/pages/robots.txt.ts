import type { APIRoute } from 'astro';
import { robotsTxt } from '../lib/storefront/index.ts';
import { publicOrigin } from '../lib/orders/index.ts';

/** Crawlers may read the catalogue; carts, accounts, back office and APIs are not theirs. */
export const GET: APIRoute = ({ url }) =>
  new Response(robotsTxt(publicOrigin(url)), { headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'public, max-age=3600' } });
