import type { APIRoute } from 'astro';
import { requireAdmin } from '../../../lib/auth/index.ts';
import { recentAudit } from '../../../lib/audit/index.ts';
import { json } from '../../../lib/http/index.ts';

/** GET ?entity=&id=&page=: the audit log, newest first. */
export const GET: APIRoute = async ({ locals, url }) => {
  requireAdmin(locals.user);
  const p = url.searchParams;
  return json({ entries: await recentAudit({ page: Number(p.get('page')) || 1, entityType: p.get('entity') ?? undefined, entityId: p.get('id') ?? undefined }) });
};
