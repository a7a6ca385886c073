import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../db/index.ts';
import type { PlanInput, ProgrammeEventInput } from './programme.schemas.ts';

/** SQL of plans, programme events and the records the plans' actual figures are computed from. */
const rows = async <T>(db: DbOrTx, q: SQL) => (await db.execute(q)) as unknown as T[];

/**
 * An area: the whole country, a province, one of its communes (current name) or a former district
 * or commune as written (matched in the producers' historical addresses, e.g. "huyện Tây Sơn").
 */
export interface Area {
  province?: string | null;
  commune?: string | null;
  legacyArea?: string | null;
}

/** Producers of an area, on the alias `pr`. */
function inArea(a: Area, alias = sql.raw('pr')): SQL {
  return sql`${a.province ? sql`and ${alias}.province_code = ${a.province}` : sql``}
    ${a.commune ? sql`and ${alias}.commune = ${a.commune}` : sql``}
    ${a.legacyArea ? sql`and position(lower(${a.legacyArea}) in lower(coalesce(${alias}.historical_address, ''))) > 0` : sql``}`;
}

/** Programme events of an area (the event's own place, written like a plan's). */
function eventInArea(a: Area): SQL {
  return sql`${a.province ? sql`and e.province_code = ${a.province}` : sql``}
    ${a.commune ? sql`and e.commune = ${a.commune}` : sql``}
    ${a.legacyArea ? sql`and lower(e.legacy_area) = lower(${a.legacyArea})` : sql``}`;
}

export interface IssuedCertificateRow {
  id: number;
  product_id: number;
  producer_id: number;
  producer_type: string;
  province_code: string;
  commune: string | null;
  group_code: string;
  stars: number;
  /** Stars of the product's previous certificate; null for a first certification. */
  prev_stars: number | null;
  /** The producer's first certificate ever was this one's day or later (it joined OCOP in the period). */
  producer_first: string;
}

/** Certificates issued between two dates (inclusive) in an area, with what each one was. */
export async function selectIssued(db: DbOrTx, from: string, to: string, a: Area): Promise<IssuedCertificateRow[]> {
  return rows(db, sql`select c.id, c.product_id, pr.id as producer_id, pr.type as producer_type, pr.province_code, pr.commune, p.group_code, c.stars,
      (select o.stars from certificates o where o.product_id = c.product_id and (o.issued_on < c.issued_on or (o.issued_on = c.issued_on and o.id < c.id))
        order by o.issued_on desc, o.id desc limit 1) as prev_stars,
      (select min(o.issued_on)::text from certificates o join products op on op.id = o.product_id where op.producer_id = pr.id) as producer_first
    from certificates c join products p on p.id = c.product_id join producers pr on pr.id = p.producer_id
    where c.issued_on between ${from} and ${to} ${inArea(a)}
    order by c.id`);
}

/** Certificates in force on a day in an area, and how many of them expire within `days`; lapsed = expired without a successor. */
export async function selectStates(db: DbOrTx, asOf: string, soon: string, a: Area): Promise<{ valid: number; expiring: number; lapsed: number }> {
  const r = await rows<{ valid: number; expiring: number; lapsed: number }>(db, sql`select
      count(*) filter (where c.valid_until >= ${asOf})::int as valid,
      count(*) filter (where c.valid_until between ${asOf} and ${soon})::int as expiring,
      count(*) filter (where c.valid_until < ${asOf})::int as lapsed
    from certificates c join products p on p.id = c.product_id join producers pr on pr.id = p.producer_id
    where c.status = 'active' and c.issued_on <= ${asOf} ${inArea(a)}`);
  const x = r[0]!;
  return { valid: Number(x.valid), expiring: Number(x.expiring), lapsed: Number(x.lapsed) };
}

export async function countRevoked(db: DbOrTx, from: string, to: string, a: Area): Promise<number> {
  const r = await rows<{ n: number }>(db, sql`select count(*)::int as n
    from certificates c join products p on p.id = c.product_id join producers pr on pr.id = p.producer_id
    where c.status = 'revoked' and (c.revoked_at at time zone 'Asia/Ho_Chi_Minh')::date between ${from} and ${to} ${inArea(a)}`);
  return Number(r[0]!.n);
}

/** Dossier steps taken in the period in an area, by action (submitted, returned, accepted…). */
export async function selectDossierActivity(db: DbOrTx, from: string, to: string, a: Area): Promise<Record<string, number>> {
  const r = await rows<{ action: string; n: number }>(db, sql`select ev.action, count(distinct ev.dossier_id)::int as n
    from dossier_events ev join dossiers d on d.id = ev.dossier_id join producers pr on pr.id = d.producer_id
    where (ev.at at time zone 'Asia/Ho_Chi_Minh')::date between ${from} and ${to} ${inArea(a)}
    group by ev.action`);
  return Object.fromEntries(r.map((x) => [x.action, Number(x.n)]));
}

export async function selectEventTotals(db: DbOrTx, from: string, to: string, a: Area): Promise<{ fairs: number; trainings: number; trained: number }> {
  const r = await rows<{ fairs: number; trainings: number; trained: number }>(db, sql`select
      count(*) filter (where e.kind = 'fair')::int as fairs,
      count(*) filter (where e.kind = 'training')::int as trainings,
      coalesce(sum(e.participants) filter (where e.kind = 'training'), 0)::int as trained
    from programme_events e where e.held_on between ${from} and ${to} ${eventInArea(a)}`);
  const x = r[0]!;
  return { fairs: Number(x.fairs), trainings: Number(x.trainings), trained: Number(x.trained) };
}

export interface PlanRow {
  id: number; province_code: string; commune: string | null; legacy_area: string | null; area_name: string; year: number;
  target_products: number | null; target_first: number | null; target_upgrades: number | null; target_renewals: number | null;
  target_cooperatives: number | null; target_points_of_sale: number | null; target_fairs: number | null; target_trained: number | null; note: string | null;
}

export async function selectPlans(db: DbOrTx, year: number, province?: string): Promise<PlanRow[]> {
  return rows(db, sql`select id, province_code, commune, legacy_area, area_name, year, target_products, target_first, target_upgrades, target_renewals,
      target_cooperatives, target_points_of_sale, target_fairs, target_trained, note
    from programme_plans where year = ${year} ${province ? sql`and province_code = ${province}` : sql``} order by province_code, area_name, id`);
}

export async function selectPlan(db: DbOrTx, id: number): Promise<PlanRow | null> {
  return (await rows<PlanRow>(db, sql`select * from programme_plans where id = ${id}`))[0] ?? null;
}

/** One plan per area and year: recording it again replaces its targets. */
export async function upsertPlan(db: DbOrTx, v: PlanInput, by: number | null): Promise<number> {
  const r = await rows<{ id: number }>(db, sql`insert into programme_plans (province_code, commune, legacy_area, area_name, year, target_products, target_first,
      target_upgrades, target_renewals, target_cooperatives, target_points_of_sale, target_fairs, target_trained, note, created_by)
    values (${v.province}, ${v.commune}, ${v.legacyArea}, ${v.areaName}, ${v.year}, ${v.targetProducts}, ${v.targetFirst}, ${v.targetUpgrades},
      ${v.targetRenewals}, ${v.targetCooperatives}, ${v.targetPointsOfSale}, ${v.targetFairs}, ${v.targetTrained}, ${v.note}, ${by})
    on conflict (province_code, (coalesce(commune, '')), (coalesce(legacy_area, '')), year) do update set area_name = excluded.area_name,
      target_products = excluded.target_products, target_first = excluded.target_first, target_upgrades = excluded.target_upgrades,
      target_renewals = excluded.target_renewals, target_cooperatives = excluded.target_cooperatives, target_points_of_sale = excluded.target_points_of_sale,
      target_fairs = excluded.target_fairs, target_trained = excluded.target_trained, note = excluded.note, updated_at = now()
    returning id`);
  return Number(r[0]!.id);
}

export async function insertProgrammeEvent(db: DbOrTx, v: ProgrammeEventInput, by: number | null): Promise<number> {
  const r = await rows<{ id: number }>(db, sql`insert into programme_events (kind, title, held_on, province_code, commune, legacy_area, participants, created_by)
    values (${v.kind}, ${v.title}, ${v.heldOn}, ${v.province}, ${v.commune}, ${v.legacyArea}, ${v.participants}, ${by}) returning id`);
  return Number(r[0]!.id);
}

export interface ProgrammeEventRow { id: number; kind: 'fair' | 'training'; title: string; held_on: string; province_code: string; commune: string | null; legacy_area: string | null; participants: number }
export async function selectProgrammeEvents(db: DbOrTx, from: string, to: string, province?: string): Promise<ProgrammeEventRow[]> {
  return rows(db, sql`select id, kind, title, held_on::text as held_on, province_code, commune, legacy_area, participants from programme_events
    where held_on between ${from} and ${to} ${province ? sql`and province_code = ${province}` : sql``} order by held_on desc, id desc`);
}
