import { db } from '../db/index.ts';
import { listAudit } from './audit.repository.ts';

/** The newest entries of the audit log, optionally of one entity. */
export async function recentAudit(opts: { page?: number; entityType?: string; entityId?: string } = {}) {
  const page = Math.min(1000, Math.max(1, opts.page ?? 1));
  return listAudit(await db(), { limit: 100, offset: (page - 1) * 100, entityType: opts.entityType, entityId: opts.entityId });
}
