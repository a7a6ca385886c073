import { z } from 'zod';
import { recordAudit, type Actor } from '../audit/index.ts';
import { addDays, todayInVietnam } from '../catalog/index.ts';
import { db, type DbOrTx } from '../db/index.ts';
import { AppError, type FieldErrors } from '../errors/index.ts';
import type { Translator } from '../i18n/index.ts';
import { validate } from '../backoffice/index.ts';
import * as repo from './experiences.repository.ts';

/**
 * Community-tourism experiences (OCOP group 6) are sold as dated sessions with a capacity
 * (DESIGN.md §4). Booking goes through the ordinary order: checkout resolves the session, takes
 * the seats in the order's transaction (never more than the capacity, whatever races) and records
 * a booking per order part; cancelling the part (customer, expiry of an unpaid hold, refund) gives
 * the seats back once. A booking may be cancelled until the experience's cut-off before it starts.
 */
export const MAX_PARTY = 30;
/** Vietnam has one time zone and no daylight saving time. */
const VN_OFFSET = '+07:00';

export function sessionStart(s: { startsOn: string; startsAt: string | null }): Date {
  return new Date(`${s.startsOn}T${(s.startsAt ?? '00:00:00').slice(0, 8).padEnd(8, ':00')}${VN_OFFSET}`);
}

/** Until when a booking of this session may be cancelled. */
export function cancellableUntil(s: { startsOn: string; startsAt: string | null; cancelCutoffHours: number }): Date {
  return new Date(sessionStart(s).getTime() - s.cancelCutoffHours * 3_600_000);
}

export interface SessionView {
  id: number;
  startsOn: string;
  /** "HH:MM" or null. */
  startsAt: string | null;
  capacity: number;
  seatsLeft: number;
  pricePerPerson: number;
  bookable: boolean;
  cancellableUntil: string;
}

export function sessionView(s: repo.SessionRow, now = new Date()): SessionView {
  const seatsLeft = Math.max(0, s.capacity - s.booked);
  return {
    id: s.id, startsOn: s.startsOn, startsAt: s.startsAt ? s.startsAt.slice(0, 5) : null, capacity: s.capacity, seatsLeft,
    pricePerPerson: s.pricePerPerson, bookable: s.status === 'open' && seatsLeft > 0 && sessionStart(s) > now,
    cancellableUntil: cancellableUntil(s).toISOString(),
  };
}

/** The next open sessions of an experience (those not started yet), for its page and the booking form. */
export async function upcomingSessions(productSlug: string, limit = 30): Promise<SessionView[]> {
  const now = new Date();
  const rows = await repo.selectUpcoming(await db(), productSlug, todayInVietnam(), limit);
  return rows.map((r) => sessionView(r, now)).filter((s) => sessionStart(s) > now);
}

export async function cancelCutoffHours(productSlug: string): Promise<number> {
  const rows = await repo.selectUpcoming(await db(), productSlug, todayInVietnam(), 1);
  return rows[0]?.cancelCutoffHours ?? 24;
}

// ---- checkout steps (called by orders inside the order's transaction) ----

/**
 * Resolves the sessions of experience lines: each must be an open, future session of that very
 * product. 400 with the failing lines (`items.<n>.session`).
 */
export async function sessionsForLines(tx: DbOrTx, lines: Array<{ index: number; productId: number; sessionId: number | undefined; qty: number }>, t: Translator): Promise<Map<number, repo.SessionRow>> {
  const rows = await repo.selectSessions(tx, lines.flatMap((l) => (l.sessionId ? [l.sessionId] : [])));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const fields: FieldErrors = {};
  const now = new Date();
  for (const l of lines) {
    const s = l.sessionId ? byId.get(l.sessionId) : undefined;
    if (!l.sessionId) fields[`items.${l.index}.session`] = t('places.book.field.sessionRequired');
    else if (!s || s.productId !== l.productId) fields[`items.${l.index}.session`] = t('places.book.field.unknownSession');
    else if (s.status !== 'open' || sessionStart(s) <= now) fields[`items.${l.index}.session`] = t('places.book.field.sessionClosed');
    else if (l.qty > MAX_PARTY) fields[`items.${l.index}.qty`] = t('places.book.field.party', { max: MAX_PARTY });
  }
  if (Object.keys(fields).length) throw new AppError('INVALID_DATA', 'orders.invalid', t('orders.error.invalid'), { fields });
  return byId;
}

/**
 * Takes the seats, session by session in ascending id order (so concurrent checkouts never
 * deadlock). 409 with the sessions short and the seats left; the caller's transaction then rolls
 * back everything.
 */
export async function reserveSeats(tx: DbOrTx, seats: Map<number, number>, t: Translator): Promise<void> {
  const short: Array<{ session: number; requested: number; available: number }> = [];
  for (const [sessionId, qty] of [...seats.entries()].sort(([a], [b]) => a - b)) {
    if (!(await repo.takeSeats(tx, sessionId, qty))) short.push({ session: sessionId, requested: qty, available: 0 });
  }
  if (short.length) {
    const now = await repo.selectSessions(tx, short.map((s) => s.session));
    for (const s of short) {
      const row = now.find((r) => r.id === s.session);
      s.available = row && row.status === 'open' ? Math.max(0, row.capacity - row.booked) : 0;
    }
    throw new AppError('CONFLICT', 'orders.session_full', t('places.book.error.full'), { details: { sessions: short } });
  }
}

export async function recordBookings(tx: DbOrTx, rows: Array<{ sessionId: number; orderId: number; orderPartId: number; partySize: number }>): Promise<void> {
  await repo.insertBookings(tx, rows);
}

/** Undo of reserveSeats for cancelled order parts: each booking gives its seats back once. */
export async function releaseSeats(tx: DbOrTx, partIds: number[]): Promise<void> {
  for (const { sessionId, seats } of await repo.cancelBookingsOfParts(tx, partIds)) await repo.giveSeats(tx, sessionId, seats);
}

export interface OrderBookingView {
  product: { slug: string; name: { vi: string; en: string } };
  startsOn: string;
  startsAt: string | null;
  partySize: number;
  status: 'held' | 'cancelled';
  cancellableUntil: string;
}

export async function orderBookings(conn: DbOrTx, orderId: number): Promise<OrderBookingView[]> {
  return (await repo.selectOrderBookings(conn, orderId)).map((b) => ({
    product: { slug: b.productSlug, name: { vi: b.nameVi, en: b.nameEn } }, startsOn: b.startsOn, startsAt: b.startsAt ? b.startsAt.slice(0, 5) : null,
    partySize: b.partySize, status: b.status, cancellableUntil: cancellableUntil(b).toISOString(),
  }));
}

/** Whether the cut-off of any held booking of the order has passed (then the customer can no longer cancel it). */
export function cutoffPassed(bookings: OrderBookingView[], now = new Date()): boolean {
  return bookings.some((b) => b.status === 'held' && new Date(b.cancellableUntil) <= now);
}

// ---- the producer's dashboard ----

export async function producerBookings(producerId: number) {
  const d = await db();
  const from = addDays(todayInVietnam(), -7);
  const [experiences, sessions] = await Promise.all([repo.selectProducerExperiences(d, producerId), repo.selectProducerSessions(d, producerId, from)]);
  return { experiences, sessions: sessions.map((s) => ({ ...s, view: sessionView(s) })) };
}

const SessionInput = z.object({
  product: z.string().trim().min(1).max(200),
  startsOn: z.iso.date(),
  startsAt: z.preprocess((v) => (v === '' ? null : v), z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/).nullable().optional()),
  capacity: z.coerce.number().int().min(1).max(1000),
  pricePerPerson: z.coerce.number().int().min(0).max(100_000_000),
  /** Repeat every 7 days this many times in all (1 = once). */
  weeks: z.coerce.number().int().min(1).max(26).default(1),
}).strict();

export async function createSessions(actor: Actor & { producerId: number }, input: unknown): Promise<{ created: number }> {
  const v = validate(SessionInput, input, 'experiences.invalid');
  if (v.startsOn < todayInVietnam()) throw new AppError('INVALID_DATA', 'experiences.invalid', 'The date has passed', { fields: { startsOn: 'invalid' } });
  const d = await db();
  return d.transaction(async (tx) => {
    const mine = (await repo.selectProducerExperiences(tx, actor.producerId)).find((e) => e.slug === v.product);
    if (!mine) throw new AppError('NOT_FOUND', 'experiences.not_found', 'No such experience of yours', { fields: { product: 'not_found' } });
    const rows = Array.from({ length: v.weeks }, (_, i) => ({ productId: mine.id, startsOn: addDays(v.startsOn, 7 * i), startsAt: v.startsAt ?? null, capacity: v.capacity, pricePerPerson: v.pricePerPerson }));
    const created = await repo.insertSessions(tx, rows);
    await recordAudit(tx, actor, 'experience.sessions_created', { type: 'product', id: mine.id }, null, { ...v, created });
    return { created };
  });
}

const PolicyInput = z.object({ product: z.string().trim().min(1).max(200), cancelCutoffHours: z.coerce.number().int().min(0).max(720) }).strict();

export async function setCancelCutoff(actor: Actor & { producerId: number }, input: unknown): Promise<{ hours: number }> {
  const v = validate(PolicyInput, input, 'experiences.invalid');
  const d = await db();
  return d.transaction(async (tx) => {
    const mine = (await repo.selectProducerExperiences(tx, actor.producerId)).find((e) => e.slug === v.product);
    if (!mine) throw new AppError('NOT_FOUND', 'experiences.not_found', 'No such experience of yours', { fields: { product: 'not_found' } });
    await repo.upsertPolicy(tx, mine.id, v.cancelCutoffHours);
    await recordAudit(tx, actor, 'experience.cutoff_set', { type: 'product', id: mine.id }, { hours: mine.cancelCutoffHours }, { hours: v.cancelCutoffHours });
    return { hours: v.cancelCutoffHours };
  });
}

export async function closeSession(actor: Actor & { producerId: number }, sessionId: number): Promise<void> {
  const d = await db();
  if (!(await repo.setSessionStatus(d, actor.producerId, sessionId, 'cancelled'))) throw new AppError('NOT_FOUND', 'experiences.not_found', 'No such session of yours');
}
