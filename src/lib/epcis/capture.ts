import { createHash, randomUUID } from 'node:crypto';
import { toGtin14 } from '../catalog/index.ts';
import { db as database } from '../db/index.ts';
import { normalizeStampCode } from '../stamps/index.ts';
import { appendCapturedEvent } from '../trace/index.ts';
import { itemKeys, looksLikeTradeItem, tradeItem } from './epc.ts';
import {
  insertCaptureJob, selectCapturedIds, selectCaptureJob, selectCaptureJobs, selectOwnedLots, selectStamps, type CaptureJobRow,
} from './epcis.repository.ts';
import type { CaptureError } from './epcis.table.ts';
import { EpcisProblem } from './problem.ts';
import { schemaIssues } from './validate.ts';

/**
 * EPCIS 2.0 capture (REST binding, POST /capture): a producer's system sends an EPCISDocument;
 * it must match GS1's schema and CBV vocabulary (else 400 ValidationException, nothing stored).
 * Each event must name the producer's own GTINs, and lots or stamps of theirs, and is filed in
 * that lot's timeline (trace_events, append-only) like an event typed in the dashboard. The
 * outcome is a capture job (202 + Location), processed before the answer: `rollback` (the
 * default) stores all events or none, `proceed` stores the good ones. Capture is idempotent by
 * eventID: an event already captured is not stored again; events without one get a stable id
 * derived from their content, so a resent document changes nothing either.
 */
export const CAPTURE_LIMIT = 500;
export const CAPTURE_FILE_SIZE_LIMIT = 2 * 1024 * 1024;
export type CaptureErrorBehaviour = 'rollback' | 'proceed';

type Json = Record<string, unknown>;
const INSTANCE_LISTS = ['outputEPCList', 'epcList', 'childEPCs', 'inputEPCList'] as const;
const CLASS_LISTS = ['outputQuantityList', 'quantityList', 'childQuantityList', 'inputQuantityList'] as const;

/** Bare CBV words from their URN or Web URI forms (urn:epcglobal:cbv:bizstep:shipping, https://ref.gs1.org/cbv/BizStep-shipping). */
export function cbvWord(value: string | undefined, kind: 'bizstep' | 'disp'): string | null {
  if (!value) return null;
  const urn = new RegExp(`^urn:epcglobal:cbv:${kind}:([a-z_]+)$`).exec(value);
  if (urn) return urn[1]!;
  const web = new RegExp(`^https://ref\\.gs1\\.org/cbv/${kind === 'bizstep' ? 'BizStep' : 'Disp'}-([a-z_]+)$`).exec(value);
  return web ? web[1]! : value;
}

function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value && typeof value === 'object') return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${stable((value as Json)[k])}`).join(',')}}`;
  return JSON.stringify(value);
}

/** An eventID for an event sent without one: the same content always gets the same id. */
export function contentEventId(event: Json): string {
  return `ni:///sha-256;${createHash('sha256').update(stable(event)).digest('hex')}?ver=CBV2.0`;
}

export interface CaptureInput { document: unknown; producerId: number; userId: number; behaviour: CaptureErrorBehaviour }

export async function captureDocument(input: CaptureInput): Promise<{ captureID: string }> {
  const issues = schemaIssues(input.document);
  if (issues.length) throw new EpcisProblem('ValidationException', 400, `The document does not match the EPCIS 2.0 schema: ${issues.map((i) => `${i.path} ${i.message}`).slice(0, 3).join('; ')}`, issues);
  const body = (input.document as Json).epcisBody as Json;
  const events = ((body.eventList ?? ((body.queryResults as Json | undefined)?.resultsBody as Json | undefined)?.eventList) ?? []) as Json[];
  if (events.length > CAPTURE_LIMIT) throw new EpcisProblem('CaptureLimitExceededException', 413, `At most ${CAPTURE_LIMIT} events per capture; this document has ${events.length}.`);

  const db = await database();
  const owned = await selectOwnedLots(db, input.producerId);
  const ownGtins = new Set(owned.map((o) => toGtin14(o.gtin)));
  const lots = new Map(owned.filter((o) => o.lot_id !== null).map((o) => [`${toGtin14(o.gtin)}/10/${o.lot_code}`, Number(o.lot_id)]));
  const listed = (e: Json) => [
    ...INSTANCE_LISTS.flatMap((k) => (Array.isArray(e[k]) ? (e[k] as string[]) : [])),
    ...(typeof e.parentID === 'string' ? [e.parentID] : []),
  ];
  const serials = [...new Set(events.flatMap((e) => listed(e).map((u) => tradeItem(u)?.serial).filter((s): s is string => !!s).map((s) => normalizeStampCode(s) ?? s)))];
  const stamps = new Map((await selectStamps(db, serials)).map((s) => [s.code, s]));
  const ids = events.map((e) => (typeof e.eventID === 'string' ? e.eventID : contentEventId(e)));
  const known = new Map((await selectCapturedIds(db, [...new Set(ids)])).map((r) => [r.epcis_event_id, r]));

  const errors: CaptureError[] = [];
  const rows: Array<Parameters<typeof appendCapturedEvent>[1]> = [];
  const seen = new Set<string>();
  events.forEach((event, index) => {
    const eventID = ids[index]!;
    const fail = (title: string, detail?: string) => errors.push({ eventIndex: index, eventID, type: 'epcisException:ValidationException', title, ...(detail ? { detail } : {}) });
    const declaration = event.errorDeclaration as Json | undefined;
    const original = known.get(eventID);
    if (!declaration && (original || seen.has(eventID))) {
      if (original && original.producer_id !== input.producerId) fail('This eventID is already used by another producer\'s event');
      return; // Idempotent: captured before (or earlier in this document).
    }
    if (declaration && (!original || original.producer_id !== input.producerId)) return fail('An error declaration must name an event you captured before', eventID);
    if (declaration && original!.declared) return; // Declared wrong already: nothing more to record.
    seen.add(eventID);

    const keys = new Set<string>();
    const perLot = new Map<number, number>();
    let firstLot: number | null = null;
    const inputs: Array<{ lotId?: number; epcClass?: string; quantity: number; uom?: string }> = [];
    const outputs: typeof inputs = [];
    const place = (uri: string, isInput: boolean, quantity?: { quantity: number; uom?: string }): boolean => {
      if (!looksLikeTradeItem(uri)) {
        keys.add(uri);
        if (quantity) (isInput ? inputs : outputs).push({ epcClass: uri, ...quantity });
        return true;
      }
      const item = tradeItem(uri);
      if (!item) return !fail('Malformed trade item identifier', uri);
      if (!ownGtins.has(item.gtin)) return !fail('This GTIN is not one of your products', uri);
      for (const k of itemKeys(item)) keys.add(k);
      let lotId: number | null = null;
      if (item.serial !== undefined) {
        const stamp = stamps.get(normalizeStampCode(item.serial) ?? item.serial);
        if (stamp && stamp.producer_id === input.producerId && stamp.gtin && toGtin14(stamp.gtin) === item.gtin) lotId = Number(stamp.lot_id);
      }
      if (lotId === null && item.lot !== undefined) lotId = lots.get(`${item.gtin}/10/${item.lot}`) ?? null;
      if (lotId === null && (item.lot !== undefined || item.serial !== undefined)) {
        return !fail(item.lot !== undefined ? 'No lot of yours has this lot number' : 'No stamp of yours has this serial: name its lot', uri);
      }
      if (lotId !== null) {
        firstLot ??= lotId;
        const list = isInput ? inputs : outputs;
        if (quantity) list.push({ lotId, ...quantity });
        else if (!isInput) perLot.set(lotId, (perLot.get(lotId) ?? 0) + 1);
      } else if (quantity) (isInput ? inputs : outputs).push({ epcClass: uri, ...quantity });
      return true;
    };
    let ok = true;
    for (const k of INSTANCE_LISTS) for (const uri of (event[k] as string[] | undefined) ?? []) ok = place(uri, k === 'inputEPCList') && ok;
    if (typeof event.parentID === 'string') ok = place(event.parentID, false) && ok;
    for (const k of CLASS_LISTS) {
      for (const q of (event[k] as Array<{ epcClass: string; quantity?: number; uom?: string }> | undefined) ?? []) {
        ok = place(q.epcClass, k === 'inputQuantityList', { quantity: q.quantity ?? 1, ...(q.uom ? { uom: q.uom } : {}) }) && ok;
      }
    }
    if (!ok) return;
    if (firstLot === null) return fail('The event names none of your lots or stamps');
    const occurredAt = new Date(event.eventTime as string);
    if (occurredAt.getTime() > Date.now() + 5 * 60_000) return fail('eventTime is in the future');
    for (const [lotId, n] of perLot) outputs.push({ lotId, quantity: n });
    const type = event.type as string;
    rows.push({
      lotId: firstLot,
      eventType: type as never,
      action: type === 'TransformationEvent' ? 'ADD' : (event.action as string),
      bizStep: cbvWord(event.bizStep as string | undefined, 'bizstep') ?? 'other',
      disposition: cbvWord(event.disposition as string | undefined, 'disp'),
      occurredAt,
      timeZoneOffset: event.eventTimeZoneOffset as string,
      readPoint: ((event.readPoint as Json | undefined)?.id as string | undefined) ?? null,
      bizLocation: ((event.bizLocation as Json | undefined)?.id as string | undefined) ?? null,
      inputs: type === 'TransformationEvent' ? inputs : [],
      outputs,
      epcisEventId: eventID,
      epcisEvent: { ...event, eventID },
      epcs: [...keys],
      correctsEventId: declaration ? original!.id : null,
      errorReason: declaration ? String(declaration.reason ?? 'incorrect_data') : null,
      recordedBy: input.userId,
    });
  });

  const captureID = `cj_${randomUUID().replace(/-/g, '')}`;
  const store = errors.length === 0 || input.behaviour === 'proceed';
  await db.transaction(async (tx) => {
    if (store) for (const row of rows) await appendCapturedEvent(tx, { ...row, captureId: captureID });
    await insertCaptureJob(tx, {
      id: captureID, producerId: input.producerId, finishedAt: new Date(), running: false, success: errors.length === 0,
      captureErrorBehaviour: input.behaviour, eventCount: events.length, capturedCount: store ? rows.length : 0, errors,
    });
  });
  return { captureID };
}

/** The capture job as the REST binding shows it (GET /capture/<id>); only its producer sees it. */
export function captureJobView(job: CaptureJobRow) {
  return {
    captureID: job.id,
    createdAt: new Date(job.created_at).toISOString(),
    ...(job.finished_at ? { finishedAt: new Date(job.finished_at).toISOString() } : {}),
    running: job.running,
    success: job.success,
    captureErrorBehaviour: job.capture_error_behaviour,
    eventCount: job.event_count,
    capturedCount: job.captured_count,
    errors: job.errors,
  };
}

export async function captureJob(id: string, producerId: number) {
  const job = /^cj_[0-9a-f]{32}$/.test(id) ? await selectCaptureJob(await database(), id) : null;
  if (!job || job.producer_id !== producerId) throw new EpcisProblem('NoSuchResourceException', 404, 'No capture job with this id.');
  return captureJobView(job);
}

export async function captureJobs(producerId: number) {
  return (await selectCaptureJobs(await database(), producerId, 50)).map(captureJobView);
}
