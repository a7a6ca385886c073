import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/index.ts';

/** All SQL of experience sessions and bookings. Session rows are always locked in ascending id order. */
export interface SessionRow {
  id: number;
  productId: number;
  productSlug: string;
  startsOn: string;
  /** "HH:MM:SS" local time in Vietnam, or null for a day-long session. */
  startsAt: string | null;
  capacity: number;
  booked: number;
  pricePerPerson: number;
  status: 'open' | 'cancelled';
  cancelCutoffHours: number;
}

const SESSION = sql`s.id, s.product_id as "productId", p.slug as "productSlug", s.starts_on::text as "startsOn", s.starts_at::text as "startsAt",
  s.capacity, s.booked, s.price_per_person as "pricePerPerson", s.status, coalesce(ep.cancel_cutoff_hours, 24) as "cancelCutoffHours"`;
const FROM = sql`experience_sessions s join products p on p.id = s.product_id left join experience_policies ep on ep.product_id = s.product_id`;

export async function selectSessions(db: DbOrTx, ids: number[]): Promise<SessionRow[]> {
  if (ids.length === 0) return [];
  return (await db.execute(sql`select ${SESSION} from ${FROM}
    where s.id in (select (jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))::int) order by s.id`)) as unknown as SessionRow[];
}

/** Open sessions of a product from `fromDate` on (Vietnam calendar date), soonest first. */
export async function selectUpcoming(db: DbOrTx, productSlug: string, fromDate: string, limit: number): Promise<SessionRow[]> {
  return (await db.execute(sql`select ${SESSION} from ${FROM}
    where p.slug = ${productSlug} and s.status = 'open' and s.starts_on >= ${fromDate}::date
    order by s.starts_on, s.starts_at nulls first, s.id limit ${limit}`)) as unknown as SessionRow[];
}

/**
 * Takes `qty` seats of a session if they are free: the condition is checked on the row's latest
 * version after any concurrent booking of it commits (PostgreSQL re-reads a row it waited for),
 * so two bookings can never both take the last seats. Returns whether it did.
 */
export async function takeSeats(db: DbOrTx, sessionId: number, qty: number): Promise<boolean> {
  const rows = (await db.execute(sql`update experience_sessions set booked = booked + ${qty}
    where id = ${sessionId} and status = 'open' and booked + ${qty} <= capacity returning id`)) as unknown as unknown[];
  return rows.length > 0;
}

export async function giveSeats(db: DbOrTx, sessionId: number, qty: number): Promise<void> {
  await db.execute(sql`update experience_sessions set booked = booked - ${qty} where id = ${sessionId} and booked >= ${qty}`);
}

export async function insertBookings(db: DbOrTx, rows: Array<{ sessionId: number; orderId: number; orderPartId: number; partySize: number }>): Promise<void> {
  if (rows.length === 0) return;
  await db.execute(sql`insert into bookings (session_id, order_id, order_part_id, party_size)
    values ${sql.join(rows.map((r) => sql`(${r.sessionId}, ${r.orderId}, ${r.orderPartId}, ${r.partySize})`), sql`, `)}`);
}

/** Marks the held bookings of these order parts cancelled (once) and returns the seats they held per session. */
export async function cancelBookingsOfParts(db: DbOrTx, partIds: number[]): Promise<Array<{ sessionId: number; seats: number }>> {
  if (partIds.length === 0) return [];
  const rows = (await db.execute(sql`update bookings set status = 'cancelled', cancelled_at = now()
    where order_part_id in (select (jsonb_array_elements_text(${JSON.stringify(partIds)}::jsonb))::int) and status = 'held'
    returning session_id as "sessionId", party_size as "seats"`)) as unknown as Array<{ sessionId: number; seats: number }>;
  const per = new Map<number, number>();
  for (const r of rows) per.set(Number(r.sessionId), (per.get(Number(r.sessionId)) ?? 0) + Number(r.seats));
  return [...per.entries()].sort(([a], [b]) => a - b).map(([sessionId, seats]) => ({ sessionId, seats }));
}

export interface OrderBookingRow {
  sessionId: number;
  productSlug: string;
  nameVi: string;
  nameEn: string;
  startsOn: string;
  startsAt: string | null;
  partySize: number;
  status: 'held' | 'cancelled';
  cancelCutoffHours: number;
}

export async function selectOrderBookings(db: DbOrTx, orderId: number): Promise<OrderBookingRow[]> {
  return (await db.execute(sql`select b.session_id as "sessionId", p.slug as "productSlug", p.name_vi as "nameVi", p.name_en as "nameEn",
      s.starts_on::text as "startsOn", s.starts_at::text as "startsAt", b.party_size as "partySize", b.status,
      coalesce(ep.cancel_cutoff_hours, 24) as "cancelCutoffHours"
    from bookings b join ${FROM} on s.id = b.session_id
    where b.order_id = ${orderId} order by s.starts_on, s.starts_at nulls first, b.id`)) as unknown as OrderBookingRow[];
}

// ---- the producer's side ----

export interface ProducerSessionRow extends SessionRow {
  nameVi: string;
  nameEn: string;
  bookings: Array<{ publicId: string; customerName: string; phone: string; partySize: number; orderStatus: string; paymentMethod: string; status: 'held' | 'cancelled'; createdAt: string }>;
}

/** A producer's sessions from `fromDate` on with their bookings (an order's customer and state). */
export async function selectProducerSessions(db: DbOrTx, producerId: number, fromDate: string): Promise<ProducerSessionRow[]> {
  return (await db.execute(sql`select ${SESSION}, p.name_vi as "nameVi", p.name_en as "nameEn",
      coalesce((select json_agg(json_build_object('publicId', o.public_id, 'customerName', o.customer_name, 'phone', o.phone,
          'partySize', b.party_size, 'orderStatus', o.status, 'paymentMethod', o.payment_method, 'status', b.status, 'createdAt', b.created_at)
          order by b.created_at)
        from bookings b join orders o on o.id = b.order_id where b.session_id = s.id), '[]') as bookings
    from ${FROM}
    where p.producer_id = ${producerId} and s.starts_on >= ${fromDate}::date
    order by s.starts_on, s.starts_at nulls first, s.id limit 200`)) as unknown as ProducerSessionRow[];
}

export interface ProducerExperienceRow {
  id: number;
  slug: string;
  nameVi: string;
  nameEn: string;
  price: number;
  cancelCutoffHours: number;
}

export async function selectProducerExperiences(db: DbOrTx, producerId: number): Promise<ProducerExperienceRow[]> {
  return (await db.execute(sql`select p.id, p.slug, p.name_vi as "nameVi", p.name_en as "nameEn", p.price,
      coalesce(ep.cancel_cutoff_hours, 24) as "cancelCutoffHours"
    from products p left join experience_policies ep on ep.product_id = p.id
    where p.producer_id = ${producerId} and p.kind = 'experience' and p.status <> 'archived' order by p.name_vi`)) as unknown as ProducerExperienceRow[];
}

export async function insertSessions(db: DbOrTx, rows: Array<{ productId: number; startsOn: string; startsAt: string | null; capacity: number; pricePerPerson: number }>): Promise<number> {
  if (rows.length === 0) return 0;
  const out = (await db.execute(sql`insert into experience_sessions (product_id, starts_on, starts_at, capacity, price_per_person)
    values ${sql.join(rows.map((r) => sql`(${r.productId}, ${r.startsOn}::date, ${r.startsAt}::time, ${r.capacity}, ${r.pricePerPerson})`), sql`, `)}
    on conflict do nothing returning id`)) as unknown as unknown[];
  return out.length;
}

export async function upsertPolicy(db: DbOrTx, productId: number, cancelCutoffHours: number): Promise<void> {
  await db.execute(sql`insert into experience_policies (product_id, cancel_cutoff_hours) values (${productId}, ${cancelCutoffHours})
    on conflict (product_id) do update set cancel_cutoff_hours = excluded.cancel_cutoff_hours`);
}

/** Closes a session to new bookings (its bookings stay; the producer contacts the guests). */
export async function setSessionStatus(db: DbOrTx, producerId: number, sessionId: number, status: 'open' | 'cancelled'): Promise<boolean> {
  const rows = (await db.execute(sql`update experience_sessions s set status = ${status} from products p
    where s.id = ${sessionId} and p.id = s.product_id and p.producer_id = ${producerId} returning s.id`)) as unknown as unknown[];
  return rows.length > 0;
}
