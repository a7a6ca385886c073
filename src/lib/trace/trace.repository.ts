import { sql as dsql } from 'drizzle-orm';
import type { DbOrTx, Sql } from '../db/index.ts';
import { pageGeneration } from '../db/generation.ts';
import type { EvidenceDocument } from '../catalog/lots.table.ts';
import type { SoldPlace } from '../stamps/index.ts';
import { traceEvents, type QuantityElement } from './trace.table.ts';

/**
 * All trace SQL. A scan is ONE small indexed statement (stamps_code_uq, the run's primary key,
 * and the change generation): the stamp's state and counters, which change with every scan. The
 * lot's part of the page (lot, product, producer, certificate, events) is a second, bigger
 * statement that runs only when the process does not hold it under the current generation
 * (provenance.ts). Both use postgres.js directly and are prepared once per connection on a
 * PostgreSQL server.
 */
export interface EventRow {
  id: number;
  event_type: string;
  action: string;
  biz_step: string;
  disposition: string | null;
  occurred_at: string;
  time_zone_offset: string;
  read_point: string | null;
  biz_location: string | null;
  place_name: string | null;
  latitude: number | null;
  longitude: number | null;
  actor: string | null;
  description_vi: string | null;
  description_en: string | null;
  inputs: QuantityElement[];
  outputs: QuantityElement[];
  evidence: EvidenceDocument[];
  corrects_event_id: number | null;
  error_reason: string | null;
  recorded_at: string;
}

export interface StampRow {
  stamp_id: number;
  code: string;
  stamp_status: 'issued' | 'active' | 'sold' | 'verified' | 'voided';
  scan_count: number;
  scan_days: number;
  /** Distinct client networks, overall and at most in one day (lib/trace verdict.ts). */
  scan_networks: number;
  scan_peak_networks: number;
  first_scanned_at: Date | null;
  last_scanned_at: Date | null;
  sold_at: Date | null;
  /** The point of sale of a counter sale (stamps.sold_place). */
  sold_place: SoldPlace | null;
  voided_at: Date | null;
  pin_used_at: Date | null;
  has_pin: boolean;
  run_voided_at: Date | null;
  lot_id: number;
  /** The change generation (lib/db/generation) read in the same statement. */
  generation: string;
}

export interface LotPartRow {
  lot_id: number;
  lot_code: string;
  produced_on: string;
  best_before: string | null;
  quantity: number;
  material_area_vi: string | null;
  material_area_en: string | null;
  growing_area_code: string | null;
  harvested_on: string | null;
  documents: EvidenceDocument[];
  lot_status: 'draft' | 'released' | 'recalled';
  recall_reason: string | null;
  recalled_at: Date | null;
  product_id: number;
  slug: string;
  name_vi: string;
  name_en: string;
  images: Array<{ url: string; width: number; height: number; altVi: string; altEn: string }>;
  gtin: string | null;
  standards: string[];
  story_vi: string;
  story_en: string;
  product_status: string;
  product_approval: string;
  /** The product has no lots, or one not recalled (the sellability rule's lot condition). */
  has_sellable_lot: boolean;
  producer_suspended_at: Date | null;
  producer_suspension_reason: string | null;
  producer_slug: string;
  producer_name: string;
  producer_type: string;
  province_code: string;
  commune: string | null;
  address_line: string | null;
  historical_address: string | null;
  producer_phone: string | null;
  producer_status: string;
  cert_number: string | null;
  cert_stars: number | null;
  cert_status: string | null;
  cert_issued_on: string | null;
  cert_valid_until: string | null;
  cert_revoked_at: Date | null;
  cert_revocation_reason: string | null;
  cert_revocation_code: string | null;
  cert_authority: string | null;
  cert_decision: string | null;
  events: EventRow[] | null;
}

/** Stamps by code (any number at once), with the change generation read in the same statement. */
export async function selectStampsByCodes(sql: Sql, codes: string[]): Promise<Map<string, StampRow>> {
  // One JSON parameter: the same statement text for any number of codes (prepared once).
  const rows = await sql<StampRow[]>`
    select s.id as stamp_id, s.code, s.status as stamp_status, s.scan_count, s.scan_days, s.scan_networks, s.scan_peak_networks, s.first_scanned_at, s.last_scanned_at,
      s.sold_at, s.sold_place, s.voided_at, s.pin_used_at, s.pin_hash is not null as has_pin, r.voided_at as run_voided_at, s.lot_id,
      ${sql.unsafe(pageGeneration.sql)} as generation
    from stamps s join stamp_runs r on r.id = s.run_id
    where s.code in (select jsonb_array_elements_text(${JSON.stringify(codes)}::jsonb))`;
  return new Map(rows.map((r) => [r.code, r]));
}

export async function selectProvenanceByLot(sql: Sql, lotId: number): Promise<LotPartRow | null> {
  const rows = await sql<LotPartRow[]>`
    select l.id as lot_id, l.code as lot_code, l.produced_on::text as produced_on, l.best_before::text as best_before, l.quantity,
      l.material_area_vi, l.material_area_en, l.growing_area_code, l.harvested_on::text as harvested_on, l.documents,
      l.status as lot_status, l.recall_reason, l.recalled_at,
      p.id as product_id, p.slug, p.name_vi, p.name_en, p.images, p.gtin, p.standards, p.story_vi, p.story_en, p.status as product_status,
      p.approval as product_approval, pr.suspended_at as producer_suspended_at, pr.suspension_reason as producer_suspension_reason,
      (exists (select 1 from lots l2 where l2.product_id = p.id and l2.recalled_at is null and l2.status <> 'recalled')
        or not exists (select 1 from lots l2 where l2.product_id = p.id)) as has_sellable_lot,
      pr.slug as producer_slug, pr.name as producer_name, pr.type as producer_type, pr.province_code, pr.commune, pr.address_line,
      pr.historical_address, pr.phone as producer_phone, pr.status as producer_status,
      c.number as cert_number, c.stars as cert_stars, c.status as cert_status, c.issued_on::text as cert_issued_on,
      c.valid_until::text as cert_valid_until, c.revoked_at as cert_revoked_at, c.revocation_reason as cert_revocation_reason, c.revocation_code as cert_revocation_code,
      c.authority as cert_authority, c.decision_number as cert_decision,
      ev.events
    from lots l
    join products p on p.id = l.product_id
    join producers pr on pr.id = p.producer_id
    left join lateral (
      select number, stars, status, issued_on, valid_until, revoked_at, revocation_reason, revocation_code, authority, decision_number
      from certificates where product_id = p.id and status <> 'superseded'
      order by issued_on desc, id desc limit 1
    ) c on true
    left join lateral (
      select json_agg(json_build_object(
        'id', e.id, 'event_type', e.event_type, 'action', e.action, 'biz_step', e.biz_step, 'disposition', e.disposition,
        'occurred_at', e.occurred_at, 'time_zone_offset', e.time_zone_offset, 'read_point', e.read_point,
        'biz_location', e.biz_location, 'place_name', e.place_name, 'latitude', e.latitude, 'longitude', e.longitude,
        'actor', e.actor, 'description_vi', e.description_vi, 'description_en', e.description_en, 'inputs', e.inputs,
        'outputs', e.outputs, 'evidence', e.evidence, 'corrects_event_id', e.corrects_event_id, 'error_reason', e.error_reason,
        'recorded_at', e.recorded_at
      ) order by e.occurred_at, e.id) as events
      from trace_events e where e.lot_id = l.id
    ) ev on true
    where l.id = ${lotId}`;
  return rows[0] ?? null;
}

export interface PendingScan {
  stampId: number;
  at: Date;
  verdict: string;
  network: string | null;
  client: string | null;
  language: string | null;
  source: string;
}

/**
 * One batch of scans in one transaction: the rows, then each stamp's counters. New distinct days
 * are those after the stamp's last scan (batches are flushed in time order).
 */
export async function insertScanBatch(sql: Sql, batch: PendingScan[]): Promise<void> {
  // One JSON parameter: works the same prepared (PostgreSQL) and unprepared (PGlite).
  const rows = JSON.stringify(batch.map((s) => ({ stamp_id: s.stampId, at: s.at.toISOString(), verdict: s.verdict, network: s.network, client: s.client, language: s.language, source: s.source })));
  await sql.begin(async (tx) => {
    // The batch's stamps are locked first, in id order: the insert's trigger and the counters below
    // update them, and another process's batch locks them in the same order (no deadlock).
    await tx`
      select s.id from stamps s
      where s.id in (select x.stamp_id from jsonb_to_recordset(${rows}::jsonb) as x(stamp_id bigint))
      order by s.id for update`;
    await tx`
      insert into scans (stamp_id, producer_id, scanned_at, verdict, network_prefix, client, language, source)
      select x.stamp_id, p.producer_id, x.at, x.verdict, x.network, x.client, x.language, x.source
      from jsonb_to_recordset(${rows}::jsonb) as x(stamp_id bigint, at timestamptz, verdict text, network text, client text, language text, source text)
      left join stamps s on s.id = x.stamp_id left join lots l on l.id = s.lot_id left join products p on p.id = l.product_id`;
    await tx`
      with b as (
        select stamp_id, at from jsonb_to_recordset(${rows}::jsonb) as x(stamp_id bigint, at timestamptz)
      ), agg as (
        select stamp_id, count(*)::int as n, min(at) as first_at, max(at) as last_at,
          array_agg(distinct (at at time zone 'Asia/Ho_Chi_Minh')::date) as days
        from b group by stamp_id
      )
      update stamps s set
        scan_count = s.scan_count + agg.n,
        scan_days = s.scan_days + (
          select count(*)::int from unnest(agg.days) d
          where s.last_scanned_at is null or d > (s.last_scanned_at at time zone 'Asia/Ho_Chi_Minh')::date),
        first_scanned_at = coalesce(s.first_scanned_at, agg.first_at),
        last_scanned_at = greatest(s.last_scanned_at, agg.last_at)
      from agg where s.id = agg.stamp_id`;
    // The clone evidence (lib/trace verdict.ts: distinct client networks, overall and the most in
    // one Vietnam day) is recounted by the insert's trigger, from the stamp's distinct (day,
    // network) pairs, and only for stamps that got a new one (migration 0023).
  });
}

// ---- lot events (drizzle: written rarely, by producers and the office) -------------------------

export async function selectLotForEvents(db: DbOrTx, lotId: number) {
  const rows = (await db.execute(dsql`
    select l.id, l.code, l.product_id, l.status, l.produced_on::text as produced_on, l.best_before::text as best_before,
      l.harvested_on::text as harvested_on, l.quantity, l.material_area_vi, l.material_area_en, l.growing_area_code,
      l.documents, p.gtin, p.slug, p.name_vi, p.name_en, p.producer_id, pr.slug as producer_slug, pr.name as producer_name
    from lots l join products p on p.id = l.product_id join producers pr on pr.id = p.producer_id
    where l.id = ${lotId}`)) as unknown as Array<Record<string, unknown>>;
  return rows[0] ?? null;
}

export async function selectLotEvents(db: DbOrTx, lotId: number): Promise<Array<EventRow & { epcis_event_id: string | null; epcis_event: Record<string, unknown> | null; original_epcis_event_id: string | null }>> {
  return (await db.execute(dsql`
    select e.id, e.event_type, e.action, e.biz_step, e.disposition, e.occurred_at, e.time_zone_offset, e.read_point, e.biz_location, e.place_name,
      e.latitude, e.longitude, e.actor, e.description_vi, e.description_en, e.inputs, e.outputs, e.evidence, e.corrects_event_id, e.error_reason, e.recorded_at,
      e.epcis_event_id, e.epcis_event, o.epcis_event_id as original_epcis_event_id
    from trace_events e left join trace_events o on o.id = e.corrects_event_id
    where e.lot_id = ${lotId} order by e.occurred_at, e.id`)) as unknown as Array<EventRow & { epcis_event_id: string | null; epcis_event: Record<string, unknown> | null; original_epcis_event_id: string | null }>;
}

export async function selectEvent(db: DbOrTx, id: number): Promise<(EventRow & { lot_id: number }) | null> {
  const rows = (await db.execute(dsql`select * from trace_events where id = ${id}`)) as unknown as Array<EventRow & { lot_id: number }>;
  return rows[0] ?? null;
}


/** A product by any GTIN form of its 14-digit Digital Link key, with its lot when asked. */
export async function selectByGtin(db: DbOrTx, gtinForms: string[], lotCode?: string) {
  const rows = (await db.execute(dsql`
    select p.id, p.slug, p.name_vi, p.name_en, p.gtin, p.status, l.id as lot_id, l.code as lot_code
    from products p
    left join lots l on ${lotCode === undefined ? dsql`false` : dsql`l.product_id = p.id and l.code = ${lotCode}`}
    where p.gtin in (select jsonb_array_elements_text(${JSON.stringify(gtinForms)}::jsonb))
    limit 1`)) as unknown as Array<{ id: number; slug: string; name_vi: string; name_en: string; gtin: string; status: string; lot_id: number | null; lot_code: string | null }>;
  return rows[0] ?? null;
}

/** A stamp's lot and that lot's product (the resolver checks a serial belongs to the GTIN asked for). */
export async function selectStampLot(db: DbOrTx, code: string): Promise<{ lot_id: number; product_id: number } | null> {
  const rows = (await db.execute(dsql`
    select s.lot_id, l.product_id from stamps s join lots l on l.id = s.lot_id where s.code = ${code}`)) as unknown as Array<{ lot_id: number; product_id: number }>;
  return rows[0] ?? null;
}

export async function selectDeclarationFor(db: DbOrTx, eventId: number): Promise<boolean> {
  const rows = (await db.execute(dsql`select 1 from trace_events where corrects_event_id = ${eventId} limit 1`)) as unknown as unknown[];
  return rows.length > 0;
}

export async function insertEvent(db: DbOrTx, values: typeof traceEvents.$inferInsert): Promise<number> {
  const [row] = await db.insert(traceEvents).values(values).returning({ id: traceEvents.id });
  return row!.id;
}
