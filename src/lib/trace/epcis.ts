import { db as database, type DbOrTx } from '../db/index.ts';
import { toGtin14 } from '../catalog/index.ts';
import { CBV_BIZ_STEPS } from './events.ts';
import { selectLotEvents, selectLotForEvents, type EventRow } from './trace.repository.ts';

/**
 * A lot's timeline as an EPCIS 2.0 JSON-LD document. The lot is an EPC class (its GS1 Digital
 * Link URI when the product has a GTIN), described in the header's master data and in the ILMD of
 * commissioning and transformation events. An error declaration repeats the event it corrects
 * (same eventID) with `errorDeclaration`, as EPCIS 2.0 §7.4.1.2 defines.
 */
const CBV = new Set<string>(CBV_BIZ_STEPS);

/** What an event's EPCIS form needs from its lot. */
export interface EpcisLot {
  id: number; code: string; gtin: string | null; quantity: number; produced_on: string; best_before: string | null;
  harvested_on: string | null; material_area_vi: string | null; growing_area_code: string | null;
}

/** A trace_events row as EPCIS reads it: captured events keep their own eventID and form. */
export type EpcisEventRow = EventRow & { epcis_event_id?: string | null; epcis_event?: Record<string, unknown> | null; original_epcis_event_id?: string | null };

/** The lot as an EPC class: its GS1 Digital Link URI when the product has a GTIN. */
export function lotClassOf(lot: EpcisLot, origin: string): string {
  return lot.gtin ? `https://id.gs1.org/01/${toGtin14(lot.gtin)}/10/${encodeURIComponent(lot.code)}` : `${origin}/t/lot/${lot.id}`;
}

function ilmdOf(lot: EpcisLot) {
  return {
    'cbvmda:lotNumber': lot.code,
    ...(lot.best_before ? { 'cbvmda:itemExpirationDate': lot.best_before } : {}),
    'cbvmda:countryOfOrigin': 'VN',
    'ocop:productionDate': lot.produced_on,
    ...(lot.harvested_on ? { 'ocop:harvestDate': lot.harvested_on } : {}),
    ...(lot.material_area_vi ? { 'ocop:rawMaterialArea': lot.material_area_vi } : {}),
    ...(lot.growing_area_code ? { 'ocop:growingAreaCode': lot.growing_area_code } : {}),
  };
}

/** One event in EPCIS 2.0 JSON-LD (the export below and the query interface of src/lib/epcis). */
export function epcisEvent(e: EpcisEventRow, lot: EpcisLot, origin: string): Record<string, unknown> {
  const recordTime = new Date(e.recorded_at).toISOString();
  // Captured through POST /epcis/capture: the event as its sender wrote it, with our record time.
  if (e.epcis_event) return { ...e.epcis_event, ...(e.epcis_event_id ? { eventID: e.epcis_event_id } : {}), recordTime };
  const lotClass = lotClassOf(lot, origin);
  const ilmd = ilmdOf(lot);
  const classOf = (q: { lotId?: number; epcClass?: string }, fallback: string) => q.epcClass ?? (q.lotId === lot.id ? lotClass : q.lotId ? `${origin}/t/lot/${q.lotId}` : fallback);
  const quantities = (list: EventRow['inputs'], fallback: string) => list.map((q) => ({ epcClass: classOf(q, fallback), quantity: q.quantity, ...(q.uom ? { uom: q.uom } : {}) }));
  const original = e.corrects_event_id !== null ? Number(e.corrects_event_id) : Number(e.id);
  const common: Record<string, unknown> = {
    type: e.event_type,
    eventID: e.original_epcis_event_id ?? `${origin}/api/trace/lots/${lot.id}/epcis#event-${original}`,
    eventTime: new Date(e.occurred_at).toISOString(),
    eventTimeZoneOffset: e.time_zone_offset,
    recordTime,
  };
  if (e.corrects_event_id !== null) {
    common.errorDeclaration = { declarationTime: recordTime, reason: 'incorrect_data', 'ocop:reason': e.error_reason };
  }
  const body: Record<string, unknown> = { ...common };
  if (e.event_type === 'TransformationEvent') {
    body.inputQuantityList = quantities(e.inputs, `${lotClass}#input`);
    body.outputQuantityList = quantities(e.outputs.length ? e.outputs : [{ lotId: lot.id, quantity: lot.quantity }], lotClass);
    body.ilmd = ilmd;
  } else {
    body.action = e.action;
    body.quantityList = quantities(e.outputs.length ? e.outputs : [{ lotId: lot.id, quantity: lot.quantity }], lotClass);
    if (e.action === 'ADD' && e.biz_step === 'commissioning') body.ilmd = ilmd;
  }
  body.bizStep = CBV.has(e.biz_step) || e.biz_step.includes(':') ? e.biz_step : `ocop:${e.biz_step}`;
  if (e.disposition) body.disposition = e.disposition;
  if (e.read_point) body.readPoint = { id: e.read_point };
  if (e.biz_location) body.bizLocation = { id: e.biz_location };
  if (e.place_name) body['ocop:placeName'] = e.place_name;
  if (e.latitude !== null && e.longitude !== null) body['ocop:geo'] = `geo:${e.latitude},${e.longitude}`;
  if (e.actor) body['ocop:actor'] = e.actor;
  if (e.description_vi || e.description_en) body['ocop:description'] = [
    ...(e.description_vi ? [{ '@value': e.description_vi, '@language': 'vi' }] : []),
    ...(e.description_en ? [{ '@value': e.description_en, '@language': 'en' }] : []),
  ];
  if (e.evidence.length) body['ocop:evidence'] = e.evidence.map((d) => ({ ...d, url: new URL(d.url, origin).href }));
  return body;
}

/** The JSON-LD context of documents this site writes (EPCIS 2.0 plus its own `ocop:` terms). */
export function epcisContext(origin: string): unknown[] {
  return ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld', { ocop: `${origin}/ns/ocop#`, cbvmda: 'urn:epcglobal:cbv:mda#' }];
}

export async function exportLotEpcis(lotId: number, origin: string, db?: DbOrTx): Promise<Record<string, unknown> | null> {
  const conn = db ?? (await database());
  const lot = await selectLotForEvents(conn, lotId) as null | EpcisLot & { slug: string; name_vi: string; name_en: string; producer_name: string; producer_slug: string };
  if (!lot) return null;
  const events = await selectLotEvents(conn, lotId);
  const lotClass = lotClassOf(lot, origin);
  const ilmd = ilmdOf(lot);
  const eventList = events.map((e) => epcisEvent(e, lot, origin));

  return {
    '@context': epcisContext(origin),
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: new Date().toISOString(),
    epcisHeader: {
      epcisMasterData: {
        vocabularyList: [
          {
            type: 'urn:epcglobal:epcis:vtype:EPCClass',
            vocabularyElementList: [{
              id: lotClass,
              attributes: [
                { id: 'urn:epcglobal:cbv:mda#descriptionShort', attribute: lot.name_vi },
                { id: 'urn:epcglobal:cbv:mda#manufacturerOfTradeItemPartyName', attribute: lot.producer_name },
                ...Object.entries(ilmd).map(([k, v]) => ({ id: k.replace(/^cbvmda:/, 'urn:epcglobal:cbv:mda#').replace(/^ocop:/, `${origin}/ns/ocop#`), attribute: v })),
              ],
            }],
          },
        ],
      },
    },
    epcisBody: { eventList },
  };
}
