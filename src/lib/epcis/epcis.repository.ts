import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/index.ts';
import { epcisCaptureJobs, type CaptureError } from './epcis.table.ts';

/** All EPCIS SQL: what a producer owns (for capture), capture jobs, and the event query. */
export interface OwnedRow { product_id: number; gtin: string; lot_id: number | null; lot_code: string | null }

export async function selectOwnedLots(db: DbOrTx, producerId: number): Promise<OwnedRow[]> {
  return (await db.execute(sql`
    select p.id as product_id, p.gtin, l.id as lot_id, l.code as lot_code
    from products p left join lots l on l.product_id = p.id
    where p.producer_id = ${producerId} and p.gtin is not null`)) as unknown as OwnedRow[];
}

/** Stamps (serials) among `codes`, with their lot and the lot's producer. */
export async function selectStamps(db: DbOrTx, codes: string[]): Promise<Array<{ code: string; lot_id: number; producer_id: number; gtin: string | null }>> {
  if (!codes.length) return [];
  return (await db.execute(sql`
    select s.code, s.lot_id, p.producer_id, p.gtin
    from stamps s join lots l on l.id = s.lot_id join products p on p.id = l.product_id
    where s.code in (select jsonb_array_elements_text(${JSON.stringify(codes)}::jsonb))`)) as unknown as Array<{ code: string; lot_id: number; producer_id: number; gtin: string | null }>;
}

/** Events already captured under these eventIDs (the originals, not their error declarations). */
export async function selectCapturedIds(db: DbOrTx, eventIds: string[]): Promise<Array<{ id: number; epcis_event_id: string; producer_id: number; declared: boolean }>> {
  if (!eventIds.length) return [];
  return (await db.execute(sql`
    select e.id, e.epcis_event_id, p.producer_id,
      exists (select 1 from trace_events d where d.corrects_event_id = e.id) as declared
    from trace_events e join lots l on l.id = e.lot_id join products p on p.id = l.product_id
    where e.corrects_event_id is null
      and e.epcis_event_id in (select jsonb_array_elements_text(${JSON.stringify(eventIds)}::jsonb))`)) as unknown as Array<{ id: number; epcis_event_id: string; producer_id: number; declared: boolean }>;
}

export async function insertCaptureJob(db: DbOrTx, job: typeof epcisCaptureJobs.$inferInsert): Promise<void> {
  await db.insert(epcisCaptureJobs).values(job);
}

export interface CaptureJobRow {
  id: string; producer_id: number; created_at: string; finished_at: string | null; running: boolean; success: boolean;
  capture_error_behaviour: string; event_count: number; captured_count: number; errors: CaptureError[];
}

export async function selectCaptureJob(db: DbOrTx, id: string): Promise<CaptureJobRow | null> {
  const rows = (await db.execute(sql`select * from epcis_capture_jobs where id = ${id}`)) as unknown as CaptureJobRow[];
  return rows[0] ?? null;
}

export async function selectCaptureJobs(db: DbOrTx, producerId: number, limit: number): Promise<CaptureJobRow[]> {
  return (await db.execute(sql`
    select * from epcis_capture_jobs where producer_id = ${producerId} order by created_at desc, id desc limit ${limit}`)) as unknown as CaptureJobRow[];
}

export interface EventFilter {
  /** Producer whose own non-public events are visible too (null: public events only). */
  viewer: number | null;
  bizSteps: string[] | null;
  eventTypes: string[] | null;
  geEventTime: Date | null;
  ltEventTime: Date | null;
  /**
   * Identifier conditions, all of which must hold (null: none): the event names one of `keys`, or
   * belongs to one of `lotIds`, or to one of `lotWideIds` without naming any single item.
   */
  epc: Array<{ keys: string[]; lotIds: number[]; lotWideIds: number[] }> | null;
  after: { time: string; id: number } | null;
  limit: number;
}

/** Lots named by (gtin forms, lot code | null for every lot of the GTIN). */
export async function selectLotIds(db: DbOrTx, items: Array<{ gtins: string[]; lot: string | null }>): Promise<number[]> {
  if (!items.length) return [];
  const rows = (await db.execute(sql`
    select distinct l.id from lots l join products p on p.id = l.product_id
    join jsonb_to_recordset(${JSON.stringify(items)}::jsonb) as x(gtins jsonb, lot text)
      on p.gtin in (select jsonb_array_elements_text(x.gtins)) and (x.lot is null or l.code = x.lot)`)) as unknown as Array<{ id: number }>;
  return rows.map((r) => Number(r.id));
}

/**
 * Events in (eventTime, id) order after the page token, with what the EPCIS form of an event
 * needs from its lot. Public: the lot is released or recalled and its product is not a draft.
 */
export async function selectEvents(db: DbOrTx, f: EventFilter) {
  const conditions = [sql`((l.status <> 'draft' and p.status <> 'draft')${f.viewer !== null ? sql` or p.producer_id = ${f.viewer}` : sql``})`];
  if (f.bizSteps) conditions.push(sql`e.biz_step in (select jsonb_array_elements_text(${JSON.stringify(f.bizSteps)}::jsonb))`);
  if (f.eventTypes) conditions.push(sql`e.event_type in (select jsonb_array_elements_text(${JSON.stringify(f.eventTypes)}::jsonb))`);
  if (f.geEventTime) conditions.push(sql`e.occurred_at >= ${f.geEventTime.toISOString()}::timestamptz`);
  if (f.ltEventTime) conditions.push(sql`e.occurred_at < ${f.ltEventTime.toISOString()}::timestamptz`);
  for (const c of f.epc ?? []) {
    conditions.push(sql`(e.epcs && array(select jsonb_array_elements_text(${JSON.stringify(c.keys)}::jsonb))
      or e.lot_id in (select (jsonb_array_elements_text(${JSON.stringify(c.lotIds)}::jsonb))::int)
      or (e.lot_id in (select (jsonb_array_elements_text(${JSON.stringify(c.lotWideIds)}::jsonb))::int)
        and not exists (select 1 from unnest(e.epcs) k where k like '%/21/%')))`);
  }
  if (f.after) conditions.push(sql`(e.occurred_at, e.id) > (${f.after.time}::timestamptz, ${f.after.id})`);
  return (await db.execute(sql`
    select e.*, (select o.epcis_event_id from trace_events o where o.id = e.corrects_event_id) as original_epcis_event_id,
      to_char(e.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as occurred_key,
      l.id as lot_id, l.code as lot_code, l.quantity as lot_quantity, l.produced_on::text as produced_on, l.best_before::text as best_before,
      l.harvested_on::text as harvested_on, l.material_area_vi, l.growing_area_code, p.gtin, p.producer_id
    from trace_events e join lots l on l.id = e.lot_id join products p on p.id = l.product_id
    where ${sql.join(conditions, sql` and `)}
    order by e.occurred_at, e.id
    limit ${f.limit}`)) as unknown as Array<Record<string, unknown>>;
}
