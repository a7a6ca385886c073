import type { APIRoute } from 'astro';
import { storage } from '../../lib/storage/index.ts';
import { cardImageRendition } from '../../lib/catalog/index.ts';
import { isPrivateMediaKey } from '../../lib/monitoring/index.ts';

/**
 * Stored media. The type comes from the key's extension (never from the upload), nosniff is set,
 * and a sandboxing CSP makes even an SVG inert: stored files can never run as a page or script. A listing's WebP rendition of a generated
 * illustration (lib/catalog/card-image.ts) is made here on its first request.
 */
export const GET: APIRoute = async ({ params }) => {
  const key = params.key ?? '';
  // Reports' photos are the office's only (GET /api/admin/reports/<id>/photo), never public media.
  if (isPrivateMediaKey(key)) return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  const object = (await storage().get(key)) ?? (await cardImageRendition(key));
  if (!object) return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  return new Response(new Uint8Array(object.data), {
    headers: {
      'Content-Type': object.contentType,
      'Content-Length': String(object.data.length),
      'Cache-Control': 'public, max-age=86400',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
      'Cross-Origin-Resource-Policy': 'same-origin',
    },
  });
};
