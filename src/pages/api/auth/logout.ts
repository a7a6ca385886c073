import type { APIRoute } from 'astro';
import { signOut, webContext } from '../../../lib/auth/index.ts';
import { localePath } from '../../../lib/i18n/index.ts';

/** POST /api/auth/logout: closes the session. A form post (no JS) is sent back to the home page. */
export const POST: APIRoute = async (ctx) => {
  await signOut(webContext(ctx));
  const form = (ctx.request.headers.get('content-type') ?? '').includes('form');
  if (form) return ctx.redirect(localePath('/', ctx.locals.locale === 'en' || ctx.url.searchParams.get('lang') === 'en' ? 'en' : 'vi'), 303);
  return new Response(null, { status: 204, headers: { 'Cache-Control': 'no-store' } });
};
