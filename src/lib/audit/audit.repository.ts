import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/index.ts';

/** Who did it: an account, or a command-line job (actor null). */
export interface Actor {
  id: number;
  email: string;
}

export interface AuditEntry {
  id: number;
  actorEmail: string | null;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
  createdAt: string;
}

/** Records an action in the caller's transaction, so the log and the change commit together. */
export async function recordAudit(
  tx: DbOrTx, actor: Actor | null, action: string, entity: { type: string; id: string | number },
  before: unknown, after: unknown,
): Promise<void> {
  await tx.execute(sql`
    insert into audit_log (actor_user_id, actor_email, action, entity_type, entity_id, before, after)
    values (${actor?.id ?? null}, ${actor?.email ?? null}, ${action}, ${entity.type}, ${String(entity.id)},
      ${before === undefined || before === null ? null : JSON.stringify(before)}::jsonb,
      ${after === undefined || after === null ? null : JSON.stringify(after)}::jsonb)`);
}

export async function listAudit(db: DbOrTx, opts: { limit: number; offset?: number; entityType?: string; entityId?: string }): Promise<AuditEntry[]> {
  const rows = await db.execute(sql`
    select id, actor_email, action, entity_type, entity_id, before, after, created_at from audit_log
    where true ${opts.entityType ? sql`and entity_type = ${opts.entityType}` : sql``}
      ${opts.entityId ? sql`and entity_id = ${opts.entityId}` : sql``}
    order by id desc limit ${opts.limit} offset ${opts.offset ?? 0}`);
  return (rows as unknown as Array<Record<string, unknown>>).map((r) => ({
    id: Number(r.id),
    actorEmail: (r.actor_email as string | null) ?? null,
    action: String(r.action),
    entityType: String(r.entity_type),
    entityId: String(r.entity_id),
    before: r.before ?? null,
    after: r.after ?? null,
    createdAt: new Date(String(r.created_at)).toISOString(),
  }));
}
