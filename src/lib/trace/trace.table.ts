import { sql } from 'drizzle-orm';
import {
  bigint, check, doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import { lots, type EvidenceDocument } from '../catalog/lots.table.ts';

export const EPCIS_EVENT_TYPES = ['ObjectEvent', 'AggregationEvent', 'TransformationEvent', 'AssociationEvent', 'TransactionEvent'] as const;

export interface QuantityElement {
  lotId?: number;
  epcClass?: string;
  quantity: number;
  uom?: string;
}

/**
 * Append-only lot timeline in the EPCIS 2.0 model (what, when, where, why, who). A trigger in the
 * migrations refuses UPDATE and DELETE; corrections are error-declaration events.
 */
export const traceEvents = pgTable('trace_events', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  lotId: integer('lot_id').notNull().references(() => lots.id),
  eventType: text('event_type', { enum: EPCIS_EVENT_TYPES }).notNull().default('ObjectEvent'),
  action: text('action').notNull().default('OBSERVE'),
  /** CBV business step, e.g. "commissioning", "packing", "inspecting", "shipping". */
  bizStep: text('biz_step').notNull(),
  disposition: text('disposition'),
  occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
  /** Zone offset at the place of the event, e.g. "+07:00". */
  timeZoneOffset: text('time_zone_offset').notNull().default('+07:00'),
  readPoint: text('read_point'),
  bizLocation: text('biz_location'),
  placeName: text('place_name'),
  latitude: doublePrecision('latitude'),
  longitude: doublePrecision('longitude'),
  actor: text('actor'),
  descriptionVi: text('description_vi'),
  descriptionEn: text('description_en'),
  inputs: jsonb('inputs').$type<QuantityElement[]>().notNull().default(sql`'[]'::jsonb`),
  outputs: jsonb('outputs').$type<QuantityElement[]>().notNull().default(sql`'[]'::jsonb`),
  evidence: jsonb('evidence').$type<EvidenceDocument[]>().notNull().default(sql`'[]'::jsonb`),
  /** Set on an error declaration: the event it declares wrong. */
  correctsEventId: bigint('corrects_event_id', { mode: 'number' }).references((): AnyPgColumn => traceEvents.id),
  errorReason: text('error_reason'),
  recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  recordedBy: integer('recorded_by'),
  /** EPCIS capture (src/lib/epcis): the event's eventID, the event as captured, the identifiers it names, its capture job. */
  epcisEventId: text('epcis_event_id'),
  epcisEvent: jsonb('epcis_event').$type<Record<string, unknown>>(),
  epcs: text('epcs').array().notNull().default(sql`'{}'::text[]`),
  captureId: text('capture_id'),
}, (t) => [
  index('trace_events_lot_idx').on(t.lotId, t.occurredAt),
  uniqueIndex('trace_events_epcis_event_id_uq').on(t.epcisEventId).where(sql`${t.epcisEventId} is not null and ${t.correctsEventId} is null`),
  index('trace_events_epcs_idx').using('gin', t.epcs),
  index('trace_events_time_idx').on(t.occurredAt, t.id),
  check('trace_events_type_ck', sql`${t.eventType} in ('ObjectEvent','AggregationEvent','TransformationEvent','AssociationEvent','TransactionEvent')`),
  check('trace_events_action_ck', sql`${t.action} in ('ADD','OBSERVE','DELETE')`),
  check('trace_events_offset_ck', sql`${t.timeZoneOffset} ~ '^[+-][0-9]{2}:[0-9]{2}$'`),
  check('trace_events_lat_ck', sql`${t.latitude} is null or ${t.latitude} between -90 and 90`),
  check('trace_events_lng_ck', sql`${t.longitude} is null or ${t.longitude} between -180 and 180`),
]);
