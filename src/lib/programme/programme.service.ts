import { recordAudit, type Actor } from '../audit/index.ts';
import { validate } from '../backoffice/index.ts';
import { addDays, EXPIRY_NOTICE_DAYS, provinceLabel, todayInVietnam } from '../catalog/index.ts';
import { db as getDb, type DbOrTx } from '../db/index.ts';
import { countOpenedPointsOfSale } from '../places/index.ts';
import * as repo from './plans.repository.ts';
import { PlanSchema, ProgrammeEventSchema, ProgrammeQuerySchema } from './programme.schemas.ts';

/**
 * Plans, targets and progress. A plan holds an area's yearly targets in the seeds' terms; the
 * actual figures are always computed from the records (certificates, dossiers, fairs and
 * trainings), never typed, so the dashboard, the JSON and the reports cannot disagree: they all
 * call `figures`.
 */
export type Area = repo.Area;

export const TARGETS = ['products', 'first', 'upgrades', 'renewals', 'cooperatives', 'pointsOfSale', 'fairs', 'trained'] as const;
export type TargetKey = (typeof TARGETS)[number];

/** Points of sale opened in an area and period, from the points of sale themselves (lib/places). */
export async function pointsOfSaleActual(db: DbOrTx, from: string, to: string, area: Area): Promise<number | null> {
  return countOpenedPointsOfSale(db, from, to, area);
}

const countBy = <T>(list: T[], key: (x: T) => string | null) => {
  const out: Record<string, number> = {};
  for (const x of list) {
    const k = key(x) ?? '';
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
};

/** Every figure of an area over a period [from, to]; states (valid, expiring, lapsed) as of `to` or today, whichever is earlier. */
export async function figures(db: DbOrTx, from: string, to: string, area: Area) {
  const today = todayInVietnam();
  const asOf = to < today ? to : today;
  const [issued, states, revoked, dossiers, events, pointsOfSale] = await Promise.all([
    repo.selectIssued(db, from, to, area),
    repo.selectStates(db, asOf, addDays(asOf, EXPIRY_NOTICE_DAYS), area),
    repo.countRevoked(db, from, to, area),
    repo.selectDossierActivity(db, from, to, area),
    repo.selectEventTotals(db, from, to, area),
    pointsOfSaleActual(db, from, to, area),
  ]);
  const first = issued.filter((c) => c.prev_stars === null);
  const joined = new Set(first.filter((c) => c.producer_type === 'cooperative' && c.producer_first >= from).map((c) => Number(c.producer_id)));
  const actuals: Record<TargetKey, number | null> = {
    // Products rated 3★ or more in the period (each certificate is one; a product counts once).
    products: new Set(issued.map((c) => Number(c.product_id))).size,
    first: first.length,
    upgrades: issued.filter((c) => c.prev_stars !== null && c.stars > c.prev_stars).length,
    renewals: issued.filter((c) => c.prev_stars !== null && c.stars === c.prev_stars).length,
    cooperatives: joined.size,
    pointsOfSale,
    fairs: events.fairs,
    trained: events.trained,
  };
  return {
    from, to, asOf,
    actuals,
    certificates: {
      issued: issued.length,
      downgrades: issued.filter((c) => c.prev_stars !== null && c.stars < c.prev_stars).length,
      byStars: { 3: 0, 4: 0, 5: 0, ...countBy(issued, (c) => String(c.stars)) } as Record<string, number>,
      byGroup: countBy(issued, (c) => c.group_code),
      byProvince: countBy(issued, (c) => c.province_code),
      byCommune: countBy(issued, (c) => c.commune),
      revoked,
      valid: states.valid,
      expiring: states.expiring,
      lapsed: states.lapsed,
    },
    dossiers: {
      submitted: dossiers.submitted ?? 0, resubmitted: dossiers.resubmitted ?? 0, returned: dossiers.returned ?? 0, accepted: dossiers.accepted ?? 0,
      rejected: dossiers.rejected ?? 0, scored: dossiers.scored ?? 0, certified: dossiers.certified ?? 0,
    },
    trainings: events.trainings,
  };
}
export type Figures = Awaited<ReturnType<typeof figures>>;

function planTargets(p: repo.PlanRow): Record<TargetKey, number | null> {
  return {
    products: p.target_products, first: p.target_first, upgrades: p.target_upgrades, renewals: p.target_renewals,
    cooperatives: p.target_cooperatives, pointsOfSale: p.target_points_of_sale, fairs: p.target_fairs, trained: p.target_trained,
  };
}

/** Each plan of the year with its targets and the actual figures of its area from 1 January to `to`. */
export async function planProgress(db: DbOrTx, year: number, to: string, province?: string) {
  const plans = await repo.selectPlans(db, year, province);
  return Promise.all(plans.map(async (p) => {
    const area = { province: p.province_code, commune: p.commune, legacyArea: p.legacy_area };
    const f = await figures(db, `${year}-01-01`, to, area);
    return {
      id: Number(p.id), year: p.year, areaName: p.area_name, province: provinceLabel(p.province_code), commune: p.commune, legacyArea: p.legacy_area,
      note: p.note, targets: planTargets(p), actuals: f.actuals, certificates: f.certificates,
    };
  }));
}
export type PlanProgress = Awaited<ReturnType<typeof planProgress>>[number];

/** The programme dashboard's figures (`/admin/programme`, `GET /api/admin/programme`): the year, optionally one province. */
export async function programme(raw: { year?: unknown; province?: unknown }) {
  const q = validate(ProgrammeQuerySchema, {
    year: raw.year ?? todayInVietnam().slice(0, 4), ...(raw.province ? { province: raw.province } : {}),
  }, 'programme.invalid');
  const db = await getDb();
  const from = `${q.year}-01-01`;
  const to = `${q.year}-12-31`;
  const area = { province: q.province ?? null };
  const [overall, plans, events] = await Promise.all([figures(db, from, to, area), planProgress(db, q.year, to, q.province), repo.selectProgrammeEvents(db, from, to, q.province)]);
  return {
    year: q.year, province: q.province ? provinceLabel(q.province) : null, figures: overall, plans,
    events: events.map((e) => ({ id: Number(e.id), kind: e.kind, title: e.title, heldOn: e.held_on, province: provinceLabel(e.province_code), commune: e.commune, legacyArea: e.legacy_area, participants: Number(e.participants) })),
  };
}
export type Programme = Awaited<ReturnType<typeof programme>>;

export async function recordPlan(admin: Actor, raw: unknown) {
  const input = validate(PlanSchema, raw, 'programme.invalid');
  const d = await getDb();
  return d.transaction(async (tx) => {
    const id = await repo.upsertPlan(tx, input, admin.id);
    await recordAudit(tx, admin, 'plan.recorded', { type: 'plan', id }, null, input);
    return { id, ...input };
  });
}

export async function recordProgrammeEvent(admin: Actor, raw: unknown) {
  const input = validate(ProgrammeEventSchema, raw, 'programme.invalid');
  const d = await getDb();
  return d.transaction(async (tx) => {
    const id = await repo.insertProgrammeEvent(tx, input, admin.id);
    await recordAudit(tx, admin, `programme_event.recorded`, { type: 'programme_event', id }, null, input);
    return { id, ...input };
  });
}
