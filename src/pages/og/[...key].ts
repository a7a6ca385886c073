import type { APIRoute } from 'astro';
import { shareImage } from '../../lib/backoffice/index.ts';

/** Link-preview pictures: /og/<stored picture key>.png, a 1200×630 PNG of that picture (lib/backoffice/media.service). */
export const GET: APIRoute = async ({ params }) => {
  const key = params.key ?? '';
  const png = key.endsWith('.png') ? await shareImage(key.slice(0, -'.png'.length)) : null;
  if (!png) return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  return new Response(new Uint8Array(png), {
    headers: {
      'Content-Type': 'image/png',
      'Content-Length': String(png.length),
      'Cache-Control': 'public, max-age=86400',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
    },
  });
};
