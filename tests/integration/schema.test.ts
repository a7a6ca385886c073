import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { target, useTestDatabase } from '../support/db.ts';

const database = useTestDatabase();

/** Runs a statement that must be refused by the database itself, inside a rolled-back transaction. */
async function refused(statement: ReturnType<typeof sql>): Promise<string> {
  const { db } = database.get();
  try {
    await db.transaction(async (tx) => {
      await tx.execute(statement);
      throw new Error('ACCEPTED');
    });
  } catch (err) {
    const e = err as { message: string; cause?: { code?: string; message?: string } };
    if (e.message === 'ACCEPTED') throw new Error(`the database accepted: ${statement}`);
    return e.cause?.code ?? (e as { code?: string }).code ?? e.message;
  }
  throw new Error('unreachable');
}

describe(`schema rules enforced by the database (${target})`, () => {
  it('has unaccent and pg_trgm, and an immutable folding function', async () => {
    const { db } = database.get();
    const [row] = (await db.execute(sql`select f_fold('Nước Mắm ĐÀ NẴNG') as folded, similarity('nuoc mam', 'nuoc mamm') > 0.5 as similar,
      (select provolatile from pg_proc where proname = 'f_fold') as volatility`)) as unknown as Array<{ folded: string; similar: boolean; volatility: string }>;
    expect(row).toEqual({ folded: 'nuoc mam da nang', similar: true, volatility: 'i' });
  });

  it('refuses stars outside 3–5 on certificates and 1–5 on evaluations, scores outside 0–100', async () => {
    expect(await refused(sql`update certificates set stars = 6 where id = (select min(id) from certificates)`)).toBe('23514');
    expect(await refused(sql`update certificates set stars = 2 where id = (select min(id) from certificates)`)).toBe('23514');
    expect(await refused(sql`update evaluations set stars = 0 where id = (select min(id) from evaluations)`)).toBe('23514');
    expect(await refused(sql`update evaluations set score = 100.5 where id = (select min(id) from evaluations)`)).toBe('23514');
    expect(await refused(sql`update evaluation_scores set score = -1 where id = (select min(id) from evaluation_scores)`)).toBe('23514');
  });

  it('refuses negative stock, reservations and prices', async () => {
    expect(await refused(sql`update products set stock = -1 where id = (select min(id) from products)`)).toBe('23514');
    expect(await refused(sql`update products set reserved = -1 where id = (select min(id) from products)`)).toBe('23514');
    expect(await refused(sql`update products set price = -1 where id = (select min(id) from products)`)).toBe('23514');
    expect(await refused(sql`update combos set price = -1 where id = (select min(id) from combos)`)).toBe('23514');
  });

  it('keeps slugs, GTINs, certificate numbers and stamp codes unique', async () => {
    expect(await refused(sql`update products set slug = (select slug from products order by id desc limit 1) where id = (select min(id) from products)`)).toBe('23505');
    expect(await refused(sql`update products set gtin = (select gtin from products order by id desc limit 1) where id = (select min(id) from products)`)).toBe('23505');
    expect(await refused(sql`update producers set slug = (select slug from producers order by id desc limit 1) where id = (select min(id) from producers)`)).toBe('23505');
    expect(await refused(sql`update certificates set number = (select number from certificates order by id desc limit 1) where id = (select min(id) from certificates)`)).toBe('23505');
    expect(await refused(sql`update stamps set code = (select code from stamps order by id desc limit 1) where id = (select min(id) from stamps)`)).toBe('23505');
  });

  it('refuses dangling references, malformed slugs, tax codes and GTINs', async () => {
    expect(await refused(sql`update products set producer_id = 999999 where id = (select min(id) from products)`)).toBe('23503');
    expect(await refused(sql`update products set group_code = 'weapons' where id = (select min(id) from products)`)).toBe('23503');
    expect(await refused(sql`update producers set province_code = 'binh-dinh' where id = (select min(id) from producers)`)).toBe('23503');
    expect(await refused(sql`update products set slug = 'Bad Slug' where id = (select min(id) from products)`)).toBe('23514');
    expect(await refused(sql`update producers set tax_code = '12345' where id = (select min(id) from producers)`)).toBe('23514');
    expect(await refused(sql`update products set gtin = '89312' where id = (select min(id) from products)`)).toBe('23514');
  });

  it('keeps certificate dates and revocations coherent', async () => {
    expect(await refused(sql`update certificates set valid_until = issued_on where id = (select min(id) from certificates)`)).toBe('23514');
    expect(await refused(sql`update certificates set status = 'revoked' where id = (select min(id) from certificates where status = 'active')`)).toBe('23514');
    // A revocation's code is one of the fixed list (lib/certification/revocation.ts).
    expect(await refused(sql`update certificates set status = 'revoked', revoked_at = now(), revocation_code = 'bad_mood' where id = (select min(id) from certificates where status = 'active')`)).toBe('23514');
  });

  it('keeps order totals consistent and producer accounts bound to a producer', async () => {
    expect(await refused(sql`insert into orders (public_id, status, payment_method, customer_name, phone, address_line, commune, province_code, subtotal, shipping_total, total, payment_reference)
      values ('ord_x', 'paid', 'cod', 'A', '0912345678', 'x', 'y', 'ha-noi', 100, 10, 999, 'OCOPX1234')`)).toBe('23514');
    expect(await refused(sql`insert into users (email, name, password_hash, role) values ('p@x.vn', 'P', 'h', 'producer')`)).toBe('23514');
    expect(await refused(sql`insert into users (email, name, password_hash, role) values ('Upper@X.vn', 'P', 'h', 'admin')`)).toBe('23514');
  });

  it('makes the lot timeline append-only', async () => {
    expect(await refused(sql`update trace_events set biz_step = 'forged' where id = (select min(id) from trace_events)`)).toBe('23001');
    expect(await refused(sql`delete from trace_events where id = (select min(id) from trace_events)`)).toBe('23001');
  });

  it('has an index for every hot lookup', async () => {
    const { db } = database.get();
    const rows = (await db.execute(sql`select indexname from pg_indexes where schemaname = 'public'`)) as unknown as Array<{ indexname: string }>;
    const names = rows.map((r) => r.indexname);
    for (const name of ['products_slug_uq', 'products_gtin_uq', 'producers_slug_uq', 'stamps_code_uq', 'scans_stamp_idx', 'lots_product_code_uq', 'trace_events_lot_idx', 'certificates_product_idx', 'orders_public_id_uq', 'order_parts_producer_idx', 'sessions_expires_idx', 'outbox_pending_idx']) {
      expect(names).toContain(name);
    }
  });
});
