import type { APIRoute } from 'astro';
import { requireAdmin } from '../../../../lib/auth/index.ts';
import { AppError } from '../../../../lib/errors/index.ts';
import { json } from '../../../../lib/http/index.ts';
import { isDossierStatus, listDossiers } from '../../../../lib/programme/index.ts';

/** GET ?status=&page=: the dossiers (all, or one state; status=all is the same as none), oldest filed first, with the counts per state. */
export const GET: APIRoute = async ({ locals, url }) => {
  requireAdmin(locals.user);
  const requested = url.searchParams.get('status');
  const status = requested === 'all' ? null : requested;
  if (status && !isDossierStatus(status)) throw new AppError('INVALID_DATA', 'programme.invalid', 'Unknown status.', { fields: { status: 'invalid' } });
  return json(await listDossiers({ status: status ?? undefined, page: Number(url.searchParams.get('page')) || 1 }));
};
