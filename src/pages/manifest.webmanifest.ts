import type { APIRoute } from 'astro';
import { webManifest } from '../lib/storefront/index.ts';

export const GET: APIRoute = () =>
  new Response(JSON.stringify(webManifest()), { headers: { 'Content-Type': 'application/manifest+json; charset=utf-8', 'Cache-Control': 'public, max-age=86400' } });
