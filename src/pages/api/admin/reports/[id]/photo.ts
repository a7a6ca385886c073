import type { APIRoute } from 'astro';
import { reportPhoto } from '../../../../../lib/monitoring/index.ts';

/**
 * GET: a report's photo, for the OCOP office only (the guard of /api/admin answers 401 signed out,
 * 403 to anyone else; reportPhoto checks the role again). 404 when the report has no photo.
 */
export const GET: APIRoute = async ({ locals, params }) => {
  const photo = locals.user ? await reportPhoto(locals.user, Number(params.id)) : null;
  if (!photo) return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });
  return new Response(new Uint8Array(photo.data), {
    headers: {
      'Content-Type': photo.contentType,
      'Content-Length': String(photo.data.length),
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
      'Cross-Origin-Resource-Policy': 'same-origin',
    },
  });
};
