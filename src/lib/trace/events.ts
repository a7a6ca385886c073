import { z } from 'zod';
import { db as database, type DbOrTx } from '../db/index.ts';
import { AppError } from '../errors/index.ts';
import { insertEvent, selectDeclarationFor, selectEvent, selectLotForEvents } from './trace.repository.ts';
import type { traceEvents } from './trace.table.ts';
import { markStampsSold, type SoldPlace } from '../stamps/index.ts';

/**
 * Lot events in the EPCIS 2.0 model: what (the lot and quantities; inputs → outputs for a
 * transformation), when (time and zone offset), where (read point, business location, place),
 * why (CBV business step and disposition), who (actor) and evidence documents. The table is
 * append-only (trigger); a mistake is corrected by an error declaration, never an edit.
 */
/** CBV 2.0 business steps, plus two this site uses for farm work that CBV has no word for. */
export const CBV_BIZ_STEPS = [
  'accepting', 'arriving', 'assembling', 'collecting', 'commissioning', 'consigning', 'creating_class_instance', 'cycle_counting',
  'decommissioning', 'departing', 'destroying', 'disassembling', 'dispensing', 'encoding', 'entering_exiting', 'holding',
  'inspecting', 'installing', 'killing', 'loading', 'other', 'packing', 'picking', 'receiving', 'removing', 'repackaging',
  'repairing', 'replacing', 'reserving', 'retail_selling', 'sampling', 'sensor_reporting', 'shipping', 'staging_outbound',
  'stock_taking', 'stocking', 'storing', 'transporting', 'unloading', 'unpacking', 'void_shipping',
] as const;
export const LOCAL_BIZ_STEPS = ['harvesting', 'transforming'] as const;
export const CBV_DISPOSITIONS = [
  'active', 'available', 'completeness_inferred', 'completeness_verified', 'conformant', 'container_closed', 'container_open',
  'damaged', 'destroyed', 'dispensed', 'disposed', 'encoded', 'expired', 'in_progress', 'in_transit', 'inactive',
  'mismatch_class', 'mismatch_instance', 'mismatch_quantity', 'needs_replacement', 'no_pedigree_match', 'non_conformant',
  'non_sellable_other', 'partially_dispensed', 'recalled', 'reserved', 'retail_sold', 'returned', 'sellable_accessible',
  'sellable_not_accessible', 'stolen', 'unavailable', 'unknown',
] as const;

const quantity = z.object({
  lotId: z.number().int().positive().optional(),
  epcClass: z.string().max(300).optional(),
  quantity: z.number().positive().max(1e9),
  uom: z.string().regex(/^[A-Z0-9]{2,3}$/, 'UN/CEFACT unit code, e.g. KGM').optional(),
}).strict();

const evidence = z.object({
  type: z.string().min(1).max(60),
  title: z.string().min(1).max(300),
  url: z.string().max(1000).regex(/^(\/(?!\/)|https?:\/\/)/, 'a path on this site or an http(s) URL'),
  issuedBy: z.string().max(300).optional(),
  issuedOn: z.iso.date().optional(),
}).strict();

const uri = z.string().max(300).regex(/^[a-z][a-z0-9+.-]*:\S+$/i, 'a URI, e.g. urn:epc:id:sgln:… or https://…');

export const EventInput = z.object({
  lotId: z.number().int().positive(),
  eventType: z.enum(['ObjectEvent', 'TransformationEvent', 'AggregationEvent', 'AssociationEvent', 'TransactionEvent']).default('ObjectEvent'),
  action: z.enum(['ADD', 'OBSERVE', 'DELETE']).default('OBSERVE'),
  bizStep: z.enum([...CBV_BIZ_STEPS, ...LOCAL_BIZ_STEPS]),
  disposition: z.enum(CBV_DISPOSITIONS).nullish(),
  occurredAt: z.coerce.date(),
  timeZoneOffset: z.string().regex(/^[+-](0\d|1[0-4]):[0-5]\d$/).default('+07:00'),
  readPoint: uri.nullish(),
  bizLocation: uri.nullish(),
  placeName: z.string().max(300).nullish(),
  latitude: z.number().min(-90).max(90).nullish(),
  longitude: z.number().min(-180).max(180).nullish(),
  actor: z.string().max(300).nullish(),
  descriptionVi: z.string().max(2000).nullish(),
  descriptionEn: z.string().max(2000).nullish(),
  inputs: z.array(quantity).max(100).default([]),
  outputs: z.array(quantity).max(100).default([]),
  evidence: z.array(evidence).max(50).default([]),
}).strict();
export type EventInput = z.input<typeof EventInput>;

function invalid(issues: z.core.$ZodIssue[]): AppError {
  const fields: Record<string, string> = {};
  for (const i of issues) fields[i.path.join('.') || '_'] ??= i.message;
  return new AppError('INVALID_DATA', 'trace.invalid_event', 'The event is not valid', { fields });
}

interface Actor { producerId?: number | null; recordedBy?: number | null }

async function ownedLot(db: DbOrTx, lotId: number, actor: Actor) {
  const lot = await selectLotForEvents(db, lotId);
  if (!lot || (actor.producerId != null && lot.producer_id !== actor.producerId)) throw new AppError('NOT_FOUND', 'trace.lot_not_found', 'No such lot');
  return lot;
}

/** Appends an event to a lot's timeline. */
export async function appendLotEvent(input: EventInput, actor: Actor = {}, db?: DbOrTx): Promise<{ id: number }> {
  const parsed = EventInput.safeParse(input);
  if (!parsed.success) throw invalid(parsed.error.issues);
  const e = parsed.data;
  const fields: Record<string, string> = {};
  if (e.occurredAt.getTime() > Date.now() + 5 * 60_000) fields.occurredAt = 'cannot be in the future';
  if (e.eventType === 'TransformationEvent' && (!e.inputs.length || !e.outputs.length)) fields.inputs = 'a transformation has inputs and outputs';
  if (e.eventType !== 'TransformationEvent' && e.inputs.length) fields.inputs = 'only transformations have inputs';
  if (e.bizStep === 'commissioning' && e.action !== 'ADD' && e.eventType === 'ObjectEvent') fields.action = 'commissioning creates the lot: action ADD';
  if ((e.latitude == null) !== (e.longitude == null)) fields.latitude = 'give both latitude and longitude';
  if (Object.keys(fields).length) throw new AppError('INVALID_DATA', 'trace.invalid_event', 'The event is not valid', { fields });
  const conn = db ?? (await database());
  await ownedLot(conn, e.lotId, actor);
  return { id: await insertEvent(conn, { ...e, disposition: e.disposition ?? null, recordedBy: actor.recordedBy ?? null }) };
}

/**
 * Declares an event wrong (EPCIS error declaration): a new row that repeats the event with
 * corrects_event_id and the reason; optionally followed by the corrective event. One transaction.
 */
export async function declareEventError(
  input: { eventId: number; reason: string; corrective?: Omit<EventInput, 'lotId'> },
  actor: Actor = {}, db?: DbOrTx,
): Promise<{ declarationId: number; correctiveId: number | null }> {
  const reason = input.reason.trim();
  if (reason.length < 3 || reason.length > 1000) throw new AppError('INVALID_DATA', 'trace.invalid_reason', 'Say what was wrong', { fields: { reason: '3 to 1000 characters' } });
  const conn = db ?? (await database());
  return conn.transaction(async (tx) => {
    const original = await selectEvent(tx, input.eventId);
    if (!original) throw new AppError('NOT_FOUND', 'trace.event_not_found', 'No such event');
    await ownedLot(tx, original.lot_id, actor);
    if (original.corrects_event_id !== null) throw new AppError('CONFLICT', 'trace.declare_declaration', 'An error declaration cannot itself be declared wrong; record a new event');
    if (await selectDeclarationFor(tx, original.id)) throw new AppError('CONFLICT', 'trace.already_declared', 'This event was already declared wrong');
    const declarationId = await insertEvent(tx, {
      lotId: original.lot_id, eventType: original.event_type as never, action: original.action, bizStep: original.biz_step,
      disposition: original.disposition, occurredAt: new Date(original.occurred_at), timeZoneOffset: original.time_zone_offset,
      readPoint: original.read_point, bizLocation: original.biz_location, placeName: original.place_name, latitude: original.latitude,
      longitude: original.longitude, actor: original.actor, descriptionVi: original.description_vi, descriptionEn: original.description_en,
      inputs: original.inputs, outputs: original.outputs, evidence: original.evidence,
      correctsEventId: original.id, errorReason: reason, recordedBy: actor.recordedBy ?? null,
    });
    let correctiveId: number | null = null;
    if (input.corrective) correctiveId = (await appendLotEvent({ ...input.corrective, lotId: original.lot_id }, actor, tx)).id;
    return { declarationId, correctiveId };
  });
}

/**
 * A sale of stamped items (an order on this site, or the producer's own counter): the stamps go
 * active → sold and each lot's timeline gets a retail_selling event. Runs in the caller's transaction.
 */
export async function recordRetailSale(tx: DbOrTx, input: {
  codes: string[]; producerId?: number | null; at?: Date; seller?: string; reference?: string;
  /** A counter sale: where (kept on each stamp, and as the event's place). */
  place?: SoldPlace & { latitude?: number | null; longitude?: number | null };
}): Promise<number> {
  const at = input.at ?? new Date();
  const place = input.place ? { slug: input.place.slug, nameVi: input.place.nameVi, nameEn: input.place.nameEn, provinceCode: input.place.provinceCode } : null;
  const sold = await markStampsSold(tx, { codes: input.codes, producerId: input.producerId, at, place });
  const perLot = new Map<number, number>();
  for (const s of sold) perLot.set(s.lotId, (perLot.get(s.lotId) ?? 0) + 1);
  for (const [lotId, n] of perLot) {
    await insertEvent(tx, {
      lotId, eventType: 'ObjectEvent', action: 'OBSERVE', bizStep: 'retail_selling', disposition: 'retail_sold', occurredAt: at,
      actor: input.seller ?? null, outputs: [{ lotId, quantity: n }],
      placeName: input.place?.nameVi ?? null, latitude: input.place?.latitude ?? null, longitude: input.place?.longitude ?? null,
      descriptionVi: `Bán lẻ ${n} sản phẩm${input.reference ? ` (${input.reference})` : ''}`,
      descriptionEn: `${n} item(s) sold at retail${input.reference ? ` (${input.reference})` : ''}`,
    });
  }
  return sold.length;
}

/**
 * Appends one event captured through the EPCIS interface (src/lib/epcis), already validated
 * against GS1's schema and checked for ownership there; runs in the caller's transaction.
 */
export async function appendCapturedEvent(tx: DbOrTx, values: Omit<typeof traceEvents.$inferInsert, 'id' | 'recordedAt'>): Promise<number> {
  return insertEvent(tx, values);
}
