import { db as getDb } from '../db/index.ts';
import { AppError } from '../errors/index.ts';
import { recordAudit } from '../audit/index.ts';
import type { CurrentUser } from '../auth/index.ts';
import { LotCreateSchema, LotEventSchema } from './backoffice.schemas.ts';
import { storeEvidence, type UploadedFile } from './media.service.ts';
import * as repo from './lots.repository.ts';
import { fail, validate } from './validate.ts';

/**
 * A producer's lots and their timeline. Events are append-only (EPCIS): a mistake is corrected by
 * a new event that declares the earlier one wrong (correctsEventId + errorReason), never by an edit.
 */
type Producer = CurrentUser & { producerId: number };

const notFound = () => new AppError('NOT_FOUND', 'backoffice.lot_not_found', 'No such lot among yours.');

export function listOwnLots(user: Producer, productSlug?: string) {
  return getDb().then((d) => repo.selectOwnLots(d, user.producerId, productSlug));
}

export async function getOwnLot(user: Producer, lotId: number) {
  const d = await getDb();
  const lot = Number.isSafeInteger(lotId) ? await repo.selectOwnLot(d, user.producerId, lotId) : null;
  if (!lot) throw notFound();
  const events = await repo.selectLotEvents(d, lot.id);
  // An event declared wrong stays in the timeline, marked, so the history reads honestly.
  const corrected = new Set(events.flatMap((e) => (e.corrects_event_id ? [Number(e.corrects_event_id)] : [])));
  return { lot, events: events.map((e) => ({ ...e, id: Number(e.id), declaredWrong: corrected.has(Number(e.id)) })) };
}

export async function createLot(user: Producer, raw: unknown) {
  const input = validate(LotCreateSchema, raw);
  const d = await getDb();
  return d.transaction(async (tx) => {
    const productId = await repo.selectOwnProductId(tx, user.producerId, input.product);
    if (!productId) fail('backoffice.invalid', { product: 'not_found' });
    if (await repo.lotCodeTaken(tx, productId, input.code)) fail('backoffice.lot_code_taken', { code: 'taken' });
    const id = await repo.insertLot(tx, productId, input);
    await recordAudit(tx, user, 'lot.created', { type: 'lot', id }, null, input);
    return (await repo.selectOwnLot(tx, user.producerId, id))!;
  });
}

/** "2026-05-01T08:30" at "+07:00" → the instant. */
function instant(local: string, offset: string): string {
  const withSeconds = local.length === 16 ? `${local}:00` : local;
  const date = new Date(`${withSeconds}${offset}`);
  if (Number.isNaN(date.getTime())) fail('backoffice.invalid', { occurredAt: 'invalid' });
  if (date.getTime() > Date.now() + 24 * 3600_000) fail('backoffice.invalid', { occurredAt: 'future' });
  return date.toISOString();
}

export async function addLotEvent(user: Producer, lotId: number, raw: unknown, upload?: { file: UploadedFile; title?: string; type?: string }) {
  const input = validate(LotEventSchema, raw);
  const occurredAtIso = instant(input.occurredAt, input.timeZoneOffset);
  const d = await getDb();
  const lot = Number.isSafeInteger(lotId) ? await repo.selectOwnLot(d, user.producerId, lotId) : null;
  if (!lot) throw notFound();
  const evidence = [...input.evidence];
  if (upload && upload.file.data.length > 0) {
    // Stored before the transaction: a failed insert leaves an orphan file, never a broken link.
    const stored = await storeEvidence(upload.file, `evidence/lot-${lot.id}`);
    evidence.push({ type: upload.type?.trim() || (stored.kind === 'pdf' ? 'document' : 'photo'), title: upload.title?.trim() || upload.file.name.slice(0, 200) || 'evidence', url: stored.url });
  }
  return d.transaction(async (tx) => {
    if (input.correctsEventId && !(await repo.eventOfLot(tx, lot.id, input.correctsEventId))) fail('backoffice.invalid', { correctsEventId: 'not_found' });
    const id = await repo.insertEvent(tx, lot.id, user.id, { ...input, evidence, occurredAtIso });
    await recordAudit(tx, user, input.correctsEventId ? 'lot_event.error_declared' : 'lot_event.recorded', { type: 'trace_event', id }, null, { lotId: lot.id, ...input, evidence });
    return { id, lotId: lot.id };
  });
}
