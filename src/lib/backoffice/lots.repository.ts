import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/index.ts';
import type { EvidenceDocument } from '../catalog/lots.table.ts';
import type { LotCreate, LotEvent } from './backoffice.schemas.ts';

/** Lot and lot-event SQL of the back office, scoped by producer. Events are insert-only (a trigger refuses changes). */
export interface LotRow {
  id: number;
  product_id: number;
  product_slug: string;
  product_name_vi: string;
  product_name_en: string;
  code: string;
  produced_on: string;
  best_before: string | null;
  quantity: number;
  material_area_vi: string | null;
  material_area_en: string | null;
  growing_area_code: string | null;
  harvested_on: string | null;
  documents: EvidenceDocument[];
  status: string;
  recalled_at: Date | null;
  recall_reason: string | null;
  event_count: number;
}

const LOT_COLUMNS = sql`l.id, l.product_id, p.slug as product_slug, p.name_vi as product_name_vi, p.name_en as product_name_en,
  l.code, l.produced_on::text as produced_on, l.best_before::text as best_before, l.quantity, l.material_area_vi,
  l.material_area_en, l.growing_area_code, l.harvested_on::text as harvested_on, l.documents, l.status, l.recalled_at, l.recall_reason,
  (select count(*)::int from trace_events e where e.lot_id = l.id) as event_count`;

export async function selectOwnLots(db: DbOrTx, producerId: number, productSlug?: string): Promise<LotRow[]> {
  return (await db.execute(sql`select ${LOT_COLUMNS} from lots l join products p on p.id = l.product_id
    where p.producer_id = ${producerId} ${productSlug ? sql`and p.slug = ${productSlug}` : sql``}
    order by l.produced_on desc, l.id desc limit 500`)) as unknown as LotRow[];
}

export async function selectOwnLot(db: DbOrTx, producerId: number, lotId: number): Promise<LotRow | null> {
  const rows = await db.execute(sql`select ${LOT_COLUMNS} from lots l join products p on p.id = l.product_id
    where l.id = ${lotId} and p.producer_id = ${producerId}`);
  return (rows as unknown as LotRow[])[0] ?? null;
}

/** Locks one of the producer's lots for the rest of the transaction (stamp budget checks). */
export async function lockOwnLot(db: DbOrTx, producerId: number, lotId: number): Promise<{ id: number; code: string; quantity: number; status: string; product_slug: string } | null> {
  const rows = await db.execute(sql`select l.id, l.code, l.quantity, l.status, p.slug as product_slug
    from lots l join products p on p.id = l.product_id where l.id = ${lotId} and p.producer_id = ${producerId} for update of l`);
  return (rows as unknown as Array<{ id: number; code: string; quantity: number; status: string; product_slug: string }>)[0] ?? null;
}

export async function selectOwnProductId(db: DbOrTx, producerId: number, slug: string): Promise<number | null> {
  const rows = await db.execute(sql`select id from products where slug = ${slug} and producer_id = ${producerId}`);
  const row = (rows as unknown as Array<{ id: number }>)[0];
  return row ? Number(row.id) : null;
}

export async function lotCodeTaken(db: DbOrTx, productId: number, code: string): Promise<boolean> {
  const rows = await db.execute(sql`select 1 from lots where product_id = ${productId} and code = ${code}`);
  return (rows as unknown as unknown[]).length > 0;
}

export async function insertLot(db: DbOrTx, productId: number, v: LotCreate): Promise<number> {
  const rows = await db.execute(sql`
    insert into lots (product_id, code, produced_on, best_before, quantity, material_area_vi, material_area_en, growing_area_code, harvested_on)
    values (${productId}, ${v.code}, ${v.producedOn}, ${v.bestBefore ?? null}, ${v.quantity}, ${v.materialAreaVi ?? null},
      ${v.materialAreaEn ?? null}, ${v.growingAreaCode ?? null}, ${v.harvestedOn ?? null})
    returning id`);
  return Number((rows as unknown as Array<{ id: number }>)[0]!.id);
}

export interface EventRow {
  id: number;
  event_type: string;
  action: string;
  biz_step: string;
  disposition: string | null;
  occurred_at: string;
  time_zone_offset: string;
  place_name: string | null;
  latitude: number | null;
  longitude: number | null;
  actor: string | null;
  description_vi: string | null;
  description_en: string | null;
  evidence: EvidenceDocument[];
  corrects_event_id: number | null;
  error_reason: string | null;
  recorded_at: string;
}

export async function selectLotEvents(db: DbOrTx, lotId: number): Promise<EventRow[]> {
  return (await db.execute(sql`
    select id, event_type, action, biz_step, disposition, occurred_at, time_zone_offset, place_name, latitude, longitude,
      actor, description_vi, description_en, evidence, corrects_event_id, error_reason, recorded_at
    from trace_events where lot_id = ${lotId} order by occurred_at, id`)) as unknown as EventRow[];
}

export async function eventOfLot(db: DbOrTx, lotId: number, eventId: number): Promise<boolean> {
  const rows = await db.execute(sql`select 1 from trace_events where id = ${eventId} and lot_id = ${lotId}`);
  return (rows as unknown as unknown[]).length > 0;
}

export async function insertEvent(db: DbOrTx, lotId: number, userId: number, v: LotEvent & { occurredAtIso: string }): Promise<number> {
  const rows = await db.execute(sql`
    insert into trace_events (lot_id, event_type, action, biz_step, occurred_at, time_zone_offset, place_name, latitude, longitude,
      actor, description_vi, description_en, evidence, corrects_event_id, error_reason, recorded_by)
    values (${lotId}, 'ObjectEvent', ${v.correctsEventId ? 'OBSERVE' : v.bizStep === 'commissioning' ? 'ADD' : 'OBSERVE'}, ${v.bizStep},
      ${v.occurredAtIso}, ${v.timeZoneOffset}, ${v.placeName ?? null}, ${v.latitude ?? null}, ${v.longitude ?? null}, ${v.actor ?? null},
      ${v.descriptionVi ?? null}, ${v.descriptionEn ?? null}, ${JSON.stringify(v.evidence)}::jsonb, ${v.correctsEventId ?? null},
      ${v.errorReason ?? null}, ${userId})
    returning id`);
  return Number((rows as unknown as Array<{ id: number }>)[0]!.id);
}
