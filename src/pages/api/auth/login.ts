import type { APIRoute } from 'astro';
import { signIn, webContext } from '../../../lib/auth/index.ts';
import { readBody } from '../../../lib/backoffice/index.ts';
import { json, jsonError } from '../../../lib/http/index.ts';
import { isAppError } from '../../../lib/errors/index.ts';

/** POST /api/auth/login { email, password } → session cookie and the account. 429 carries Retry-After. */
export const POST: APIRoute = async (ctx) => {
  try {
    const { user } = await signIn(await readBody(ctx.request), webContext(ctx));
    return json({ user: { email: user.email, name: user.name, role: user.role, producer: user.producerSlug ? { slug: user.producerSlug, name: user.producerName } : null } });
  } catch (error) {
    const res = jsonError(error, ctx.locals.requestId);
    const retry = isAppError(error) ? error.details?.retryAfter : undefined;
    if (retry) res.headers.set('Retry-After', String(retry));
    return res;
  }
};
