import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { throwAwaySite } from '../support/pg-admin.ts';
import { servingPids, startServer, stop } from '../support/server.ts';
import type { ChildProcess } from 'node:child_process';

/**
 * A server killed with SIGKILL in the middle of 100 concurrent checkouts, on PGlite (the owning
 * process dies with the embedded database open) and on PostgreSQL. After a restart on the same data:
 *
 *   - every order the server acknowledged (201) is there, whole;
 *   - no order is half-written: each has its parts, each part its items, totals add up, one payment;
 *   - no stock is lost or invented, per product: stock + reserved + sold is what it was before,
 *     where "sold" is the units in orders that are neither cancelled nor awaiting payment, and
 *     "reserved" equals the units held by orders awaiting payment.
 */
const CHECKOUTS = 100;
const KILL_AFTER = 15; // answered checkouts before the kill: the rest are in flight or queued

type Row = Record<string, unknown>;
const INVARIANT = `
  with items as (
    select i.product_id, o.status, sum(i.qty)::int as units
    from order_items i join order_parts pt on pt.id = i.order_part_id join orders o on o.id = pt.order_id
    group by i.product_id, o.status)
  select p.slug, p.stock, p.reserved,
    coalesce((select sum(units) from items where product_id = p.id and status not in ('cancelled', 'pending_payment')), 0)::int as sold,
    coalesce((select sum(units) from items where product_id = p.id and status = 'pending_payment'), 0)::int as held
  from products p order by p.slug`;
const HALF_WRITTEN = `
  select o.public_id, 'no parts' as problem from orders o where not exists (select 1 from order_parts pt where pt.order_id = o.id)
  union all select o.public_id, 'part without items' from orders o join order_parts pt on pt.order_id = o.id where not exists (select 1 from order_items i where i.order_part_id = pt.id)
  union all select o.public_id, 'subtotal differs from its items' from orders o
    where o.subtotal <> (select coalesce(sum(i.line_total), 0) from order_parts pt join order_items i on i.order_part_id = pt.id where pt.order_id = o.id)
  union all select o.public_id, 'total differs from subtotal + shipping' from orders o where o.total <> o.subtotal + o.shipping_total
  union all select o.public_id, 'no payment' from orders o where not exists (select 1 from payments pm where pm.order_id = o.id)`;

async function snapshot(sql: postgres.Sql) {
  const rows = await sql.unsafe<Row[]>(INVARIANT);
  return new Map(rows.map((r) => [String(r.slug), { stock: Number(r.stock), reserved: Number(r.reserved), sold: Number(r.sold), held: Number(r.held) }]));
}

/** The embedded database is reached through its owner's socket (DATA_DIR/pglite.json says where). */
function pgliteClient(dataDir: string): postgres.Sql {
  const { socketPath } = JSON.parse(fs.readFileSync(path.join(dataDir, 'pglite.json'), 'utf8')) as { socketPath: string };
  return postgres({ path: socketPath, database: 'postgres', username: 'postgres', prepare: false, max: 1, onnotice: () => {} });
}

async function checkoutAndKill(url: string, child: ChildProcess, slugs: string[]) {
  const customer = { name: 'Khách Thử', phone: '0912345678', address: { line: '1 Tràng Tiền', commune: 'Hoàn Kiếm', province: 'Hà Nội' } };
  const acknowledged: string[] = [];
  let answered = 0;
  let killed = false;
  // Every serving process at once (on PostgreSQL the start script's web workers too).
  const pids = servingPids(child);
  const exited = new Promise((r) => child.once('exit', r));
  const kill = () => {
    if (killed) return;
    killed = true;
    for (const pid of pids) process.kill(pid, 'SIGKILL');
  };
  const outcomes = await Promise.all(Array.from({ length: CHECKOUTS }, async (_, i) => {
    const body = { items: [{ slug: slugs[i % slugs.length], qty: 1 + (i % 2) }, { slug: slugs[(i + 1) % slugs.length], qty: 1 }], customer, payment: i % 3 === 0 ? 'vietqr' : 'cod' };
    try {
      const res = await fetch(`${url}/api/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const json = (await res.json()) as { publicId?: string };
      if (res.status === 201 && json.publicId) acknowledged.push(json.publicId);
      return res.status;
    } catch {
      return 'lost';
    } finally {
      if (++answered === KILL_AFTER) kill();
    }
  }));
  kill();
  await exited;
  const counts: Record<string, number> = {};
  for (const o of outcomes) counts[o] = (counts[o] ?? 0) + 1;
  console.log(`crash: ${CHECKOUTS} checkouts, SIGKILL after ${KILL_AFTER} answers; outcomes ${JSON.stringify(counts)}`);
  return { acknowledged, outcomes };
}

async function verify(sql: postgres.Sql, before: Awaited<ReturnType<typeof snapshot>>, acknowledged: string[]) {
  const after = await snapshot(sql);
  for (const [slug, b] of before) {
    const a = after.get(slug)!;
    expect(a.stock + a.reserved + a.sold, `${slug}: stock + reserved + sold`).toBe(b.stock + b.reserved + b.sold);
    expect(a.reserved, `${slug}: reserved = units held by orders awaiting payment`).toBe(a.held);
    expect(a.stock, slug).toBeGreaterThanOrEqual(0);
  }
  expect(await sql.unsafe(HALF_WRITTEN)).toEqual([]);
  const found = await sql<Row[]>`select public_id from orders where public_id in ${sql(acknowledged.length ? acknowledged : ['-'])}`;
  expect(found.length, 'every acknowledged order survived the crash').toBe(acknowledged.length);
}

async function stockedProducts(url: string): Promise<string[]> {
  const listing = (await (await fetch(`${url}/api/search?limit=100`)).json()) as { hits: Array<{ slug: string; producer?: { slug: string } }> };
  const out: string[] = [];
  const producers = new Set<string>();
  for (const h of listing.hits) {
    const p = (await (await fetch(`${url}/api/products/${h.slug}`)).json()) as { stock?: number; kind?: string; producer?: { slug: string } };
    if (p.kind === 'goods' && (p.stock ?? 0) >= 60 && !producers.has(p.producer?.slug ?? '')) {
      out.push(h.slug);
      producers.add(p.producer?.slug ?? '');
    }
    if (out.length === 6) break;
  }
  return out;
}

describe('a server killed with SIGKILL in the middle of 100 concurrent checkouts', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('on PGlite: the embedded database recovers on restart, no half-written order, no stock lost', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-crash-'));
    let server = await startServer({ DATA_DIR: dataDir, DATABASE_URL: '' });
    cleanups.push(async () => {
      await stop(server.child);
      fs.rmSync(dataDir, { recursive: true, force: true });
    });
    const slugs = await stockedProducts(server.url);
    expect(slugs.length).toBeGreaterThanOrEqual(4);
    let sql = pgliteClient(dataDir);
    const before = await snapshot(sql);
    await sql.end({ timeout: 1 }).catch(() => undefined);

    const { acknowledged, outcomes } = await checkoutAndKill(server.url, server.child, slugs);
    expect(acknowledged.length).toBeGreaterThanOrEqual(KILL_AFTER - 5);
    expect(outcomes.filter((o) => o === 'lost').length, 'checkouts cut off by the kill').toBeGreaterThan(0);

    // Same data directory: a stale lock and socket are left behind; PGlite must recover its files.
    server = await startServer({ DATA_DIR: dataDir, DATABASE_URL: '' });
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    sql = pgliteClient(dataDir);
    try {
      await verify(sql, before, acknowledged);
      expect((await sql`select count(*)::int as n from products`)[0]!.n).toBeGreaterThan(0);
    } finally {
      await sql.end({ timeout: 1 });
    }
    // And it still sells.
    const res = await fetch(`${server.url}/api/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ items: [{ slug: slugs[0], qty: 1 }], customer: { name: 'Sau Sự Cố', phone: '0912345678', address: { line: '1', commune: 'x', province: 'Hà Nội' } }, payment: 'cod' }) });
    expect(res.status).toBe(201);
  }, 300_000);

  it.skipIf(!process.env.TEST_DATABASE_URL)('on PostgreSQL: no half-written order, no stock lost', async () => {
    const site = await throwAwaySite('crash');
    const { databaseUrl, dataDir, sql } = site;
    let server = await startServer({ DATA_DIR: dataDir, DATABASE_URL: databaseUrl, SEED_DEMO: '1' });
    cleanups.push(async () => {
      await stop(server.child);
      await site.remove();
    });
    const slugs = await stockedProducts(server.url);
    const before = await snapshot(sql);
    const { acknowledged, outcomes } = await checkoutAndKill(server.url, server.child, slugs);
    expect(outcomes.filter((o) => o === 'lost').length, 'checkouts cut off by the kill').toBeGreaterThan(0);
    // The killed server's connections are gone: PostgreSQL rolled back whatever they had open.
    await verify(sql, before, acknowledged);
    server = await startServer({ DATA_DIR: dataDir, DATABASE_URL: databaseUrl });
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    await verify(sql, before, acknowledged);
  }, 300_000);
});
