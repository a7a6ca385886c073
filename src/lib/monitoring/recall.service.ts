import { recordAudit } from '../audit/index.ts';
import type { CurrentUser } from '../auth/index.ts';
import { validate } from '../backoffice/index.ts';
import { db as getDb, type DbOrTx } from '../db/index.ts';
import { AppError } from '../errors/index.ts';
import { enqueue } from '../outbox/index.ts';
import { notifyCatalogChanged } from '../search/index.ts';
import { RecallSchema } from './monitoring.schemas.ts';
import * as repo from './monitoring.repository.ts';

/**
 * Lot recalls, by the office or by the producer itself (issue 14 item 6). A recall sets
 * `lots.recalled_at` (the shop's sellability rule and the provenance page read it; the lot's
 * change advances the page-cache generation, so the next scan shows it), writes a "recalling"
 * event into the lot's timeline, announces `lot.recalled` through the outbox and tells search the
 * product changed — all in one transaction, audited.
 */
export const LOT_RECALLED_TOPIC = 'lot.recalled';

export interface LotRecalledMessage {
  lotId: number;
  productId: number;
  producerId: number;
  reason: string;
  at: string;
}

export interface RecallResult {
  lotId: number;
  code: string;
  recalledAt: string;
  reason: string;
}

const isId = (n: number) => Number.isInteger(n) && n > 0 && n <= 2_147_483_647;
const actorLabel = (user: CurrentUser) => `${user.role === 'admin' ? 'office' : 'producer'}:${user.email}`;

/** Recalls lots inside the caller's transaction. `producerId` restricts them to that producer's own. */
export async function recallLotsTx(
  tx: DbOrTx, user: CurrentUser, lotIds: number[], reason: string, opts: { producerId: number | null; inspectionId?: number | null },
): Promise<RecallResult[]> {
  const ids = [...new Set(lotIds)].filter(isId).sort((a, b) => a - b);
  const lots = ids.length ? await repo.lockLots(tx, ids, opts.producerId) : [];
  if (lots.length !== lotIds.length || ids.length !== lotIds.length) {
    throw new AppError('NOT_FOUND', 'monitoring.lot_not_found', opts.producerId === null ? 'No such lot.' : 'No such lot among yours.');
  }
  const already = lots.filter((l) => l.recalled_at !== null);
  if (already.length) {
    throw new AppError('CONFLICT', 'monitoring.already_recalled', `Already recalled: ${already.map((l) => l.code).join(', ')}.`, { details: { lots: already.map((l) => Number(l.id)) } });
  }
  const by = actorLabel(user);
  const marked = await repo.markRecalled(tx, ids, { reason, by, inspectionId: opts.inspectionId ?? null });
  const at = new Map(marked.map((m) => [m.id, m.recalled_at.toISOString()]));
  const results: RecallResult[] = [];
  for (const lot of lots) {
    const id = Number(lot.id);
    const when = at.get(id)!;
    await repo.insertRecallEvent(tx, id, user.id, reason, null);
    await enqueue(tx, LOT_RECALLED_TOPIC, { lotId: id, productId: Number(lot.product_id), producerId: Number(lot.producer_id), reason, at: when } satisfies LotRecalledMessage);
    await recordAudit(tx, user, 'lot.recalled', { type: 'lot', id }, { status: lot.status, recalledAt: null },
      { status: 'recalled', recalledAt: when, reason, by, inspectionId: opts.inspectionId ?? null });
    results.push({ lotId: id, code: lot.code, recalledAt: when, reason });
  }
  await notifyCatalogChanged(tx, { productIds: [...new Set(lots.map((l) => Number(l.product_id)))] });
  return results;
}

/** POST /api/admin/lots/<id>/recall (and the /admin page). */
export async function recallLotByOffice(user: CurrentUser, lotId: number, raw: unknown): Promise<RecallResult> {
  const { reason } = validate(RecallSchema, raw, 'monitoring.invalid');
  const d = await getDb();
  return d.transaction(async (tx) => (await recallLotsTx(tx, user, [lotId], reason, { producerId: null }))[0]!);
}

/** POST /api/producer/lots/<id>/recall (and the dashboard's lot page): only the producer's own lots. */
export async function recallOwnLot(user: CurrentUser & { producerId: number }, lotId: number, raw: unknown): Promise<RecallResult> {
  const { reason } = validate(RecallSchema, raw, 'monitoring.invalid');
  const d = await getDb();
  return d.transaction(async (tx) => (await recallLotsTx(tx, user, [lotId], reason, { producerId: user.producerId }))[0]!);
}

/** A product's lots with their recall state (the office's recall form); [] for an unknown or malformed slug. */
export async function lotsForRecall(productSlug: string) {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(productSlug) || productSlug.length > 80) return [];
  return repo.selectLotsOfProduct(await getDb(), productSlug);
}

export async function recalledLots(limit = 100) {
  return repo.selectRecalledLots(await getDb(), limit);
}
