/**
 * `npm run bench -- soak`: a bounded soak. For BENCH_SOAK_SECONDS (default 600) a moderate mixed load
 * runs on loopback against a started site — product, catalogue and home pages, searches, trace scans
 * and cash-on-delivery checkouts, from a few closed-loop workers with a pause between requests — while
 * the server's resident memory (RSS of the processes that serve, summed, read from /proc) is sampled every
 * 5 s. With `sale`, the sale load of issue 18 runs beside it: BENCH_SALE_ORDERS_PER_SECOND (10)
 * orders a second, open loop (cash on delivery and VietQR in turn, products and gift boxes) on a
 * quarter of the catalogue, restocked through SQL (a stock-only change, as a delivery would be)
 * so the orders keep succeeding for the whole soak. Reports RSS at start and end, the trend (least-squares slope after the first fifth, the
 * warm-up) and every status seen; a 5xx or a network error is counted, never ignored.
 */
import fs from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type postgres from 'postgres';
import { servingPids } from '../../tests/support/server.ts';

/** Resident memory of the site: every serving process together (web workers on a PostgreSQL server). */
function rssMb(child: ChildProcess): number {
  let kb = 0;
  for (const pid of servingPids(child)) {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    kb += m ? Number(m[1]) : Number.NaN;
  }
  return Math.round((kb / 1024) * 10) / 10;
}

/** Least-squares slope of y over x. */
function slope(points: Array<[number, number]>): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const num = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const den = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

/** The sale generator: `rate` orders a second until `end`, restocking the hot products every second. */
async function saleOrders(url: string, sql: postgres.Sql, rate: number, end: number, statuses: Record<string, number>): Promise<{ placed: number; refused: number }> {
  const products = await sql<Array<{ id: number; slug: string }>>`select id, slug from products where status = 'published' and kind = 'goods' order by id`;
  const combos = await sql<Array<{ slug: string; items: number[] }>>`
    select c.slug, array_agg(ci.product_id) as items from combos c join combo_items ci on ci.combo_id = c.id where c.status = 'published' group by c.slug order by c.slug`;
  const quarter = Math.max(2, Math.round(products.length / 4));
  const hot = new Set<number>();
  const boxes: string[] = [];
  for (const c of combos) {
    if (hot.size + c.items.filter((id) => !hot.has(Number(id))).length > quarter) continue;
    c.items.forEach((id) => hot.add(Number(id)));
    boxes.push(c.slug);
  }
  for (const p of products) if (hot.size < quarter) hot.add(p.id);
  const slugs = products.filter((p) => hot.has(p.id)).map((p) => p.slug);
  const restock = () => sql`update products set stock = 500 where id in ${sql([...hot])} and stock < 200`;
  await restock();
  const customer = { name: 'Khách Mùa Tết', phone: '0912345678', address: { line: '1 Tràng Tiền', commune: 'Hoàn Kiếm', province: 'Hà Nội' } };
  let placed = 0;
  let refused = 0;
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  let lastRestock = started;
  for (let i = 0; performance.now() < end; i++) {
    const wait = started + (i * 1000) / rate - performance.now();
    if (wait > 0) await sleep(wait);
    if (performance.now() - lastRestock > 1000) {
      lastRestock = performance.now();
      await restock().catch(() => undefined);
    }
    const items = boxes.length && i % 3 === 2 ? [{ combo: boxes[i % boxes.length], qty: 1 }] : [{ slug: slugs[i % slugs.length], qty: 1 }, { slug: slugs[(i * 7 + 3) % slugs.length], qty: 1 }];
    const one = fetch(`${url}/api/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ items, customer, payment: i % 2 ? 'vietqr' : 'cod' }) })
      .then(async (res) => {
        await res.arrayBuffer();
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        if (res.status === 201) placed++;
        else if (res.status === 409) refused++;
      }, () => void (statuses.network = (statuses.network ?? 0) + 1))
      .finally(() => inFlight.delete(one));
    inFlight.add(one);
  }
  await Promise.all(inFlight);
  return { placed, refused };
}

export async function runSoak(child: ChildProcess, url: string, seconds: number, opts: { stampCodes?: string[]; workers?: number; pauseMs?: number; log?: boolean; sale?: { sql: postgres.Sql; rate: number } } = {}) {
  const workers = opts.workers ?? 6;
  const pauseMs = opts.pauseMs ?? 20;
  const listing = (await (await fetch(`${url}/api/search?limit=100`)).json()) as { hits: Array<{ slug: string }> };
  const slugs = listing.hits.map((h) => h.slug);
  const stocked: string[] = [];
  for (const slug of slugs) {
    const p = (await (await fetch(`${url}/api/products/${slug}`)).json()) as { stock?: number; kind?: string };
    if ((p.stock ?? 0) >= 50 && p.kind !== 'experience') stocked.push(slug);
  }
  const codes = (opts.stampCodes ?? []).map((c) => `/t/${c}`);
  const words = ['nuoc mam', 'mật ong', 'tra', 'coffee', 'gao', 'nem chua', 'gốm', 'honey', 'que', 'bưởi'];
  const customer = { name: 'Soak Buyer', phone: '0912345678', address: { line: '1 Tràng Tiền', commune: 'Hoàn Kiếm', province: 'Hà Nội' } };
  const statuses: Record<string, number> = {};
  let requests = 0;
  let orders = 0;
  const kinds = (i: number): { path: string; init?: RequestInit } => {
    const r = i % 20;
    if (r < 6) return { path: `/products/${slugs[i % slugs.length]}` };
    if (r < 9) return { path: `/api/search?q=${encodeURIComponent(words[i % words.length]!)}` };
    if (r < 11) return { path: `/products?q=${encodeURIComponent(words[(i * 3) % words.length]!)}&stars=4,5` };
    if (r < 12) return { path: i % 40 === 11 ? '/en' : '/' };
    if (r < 19 && codes.length) return { path: codes[i % codes.length]! };
    if (stocked.length < 2) return { path: '/combos' };
    return {
      path: '/api/orders',
      init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ items: [{ slug: stocked[i % stocked.length], qty: 1 }, { slug: stocked[(i * 7 + 1) % stocked.length], qty: 1 }], customer, payment: 'cod' }) },
    };
  };
  const samples: Array<[number, number]> = [];
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  samples.push([0, rssMb(child)]);
  const sampler = setInterval(() => {
    const s = (performance.now() - t0) / 1000;
    samples.push([s, rssMb(child)]);
    if (opts.log !== false) console.log(`soak: ${Math.round(s)} s, RSS ${samples.at(-1)![1]} MB, ${requests} requests`);
  }, 5000);
  let next = 0;
  let sale: { placed: number; refused: number } | undefined;
  try {
    const selling = opts.sale ? saleOrders(url, opts.sale.sql, opts.sale.rate, end, statuses).then((r) => void (sale = r)) : Promise.resolve();
    await Promise.all([selling, ...Array.from({ length: workers }, async () => {
      while (performance.now() < end) {
        const { path, init } = kinds(next++);
        try {
          const res = await fetch(url + path, { redirect: 'manual', ...init });
          await res.arrayBuffer();
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          if (path === '/api/orders' && res.status === 201) orders++;
        } catch {
          statuses.network = (statuses.network ?? 0) + 1;
        }
        requests++;
        await sleep(pauseMs);
      }
    })]);
  } finally {
    clearInterval(sampler);
  }
  const elapsed = (performance.now() - t0) / 1000;
  samples.push([elapsed, rssMb(child)]);
  const steady = samples.filter(([s]) => s >= elapsed / 5);
  const mbPerMinute = Math.round(slope(steady) * 60 * 100) / 100;
  const startMb = samples[0]![1];
  const warmMb = steady[0]![1];
  const endMb = samples.at(-1)![1];
  // RSS moves in a sawtooth (each process's collector), so a slope depends on where the window
  // starts: the highest and lowest figure of each third after warm-up tell growth from the teeth.
  const thirds = [0, 1, 2].map((i) => steady.filter(([s]) => s >= elapsed / 5 + (i * elapsed * 0.8) / 3 && s < elapsed / 5 + ((i + 1) * elapsed * 0.8) / 3 + 0.001).map(([, y]) => y))
    .filter((ys) => ys.length > 0).map((ys) => ({ max: Math.max(...ys), min: Math.min(...ys) }));
  const errors = Object.entries(statuses).filter(([k]) => k === 'network' || Number(k) >= 500).reduce((s, [, n]) => s + n, 0);
  const result = {
    seconds: Math.round(elapsed), workers, pauseMs, requests, rps: Math.round(requests / elapsed), orders, sale: sale && { ratePerSecond: opts.sale!.rate, ...sale }, statuses, errors,
    rssMb: { start: startMb, afterWarmup: warmMb, end: endMb, max: Math.max(...samples.map(([, y]) => y)) },
    trendMbPerMinute: mbPerMinute, thirdsAfterWarmup: thirds, samples: samples.map(([s, mb]) => [Math.round(s), mb]),
  };
  console.log(`soak: ${result.requests} requests in ${result.seconds} s (${result.rps}/s, ${orders} orders)${sale ? `, sale: ${sale.placed} orders placed, ${sale.refused} refused` : ''}, statuses ${JSON.stringify(statuses)}`);
  console.log(`soak: RSS ${startMb} MB at start, ${warmMb} MB after warm-up, ${endMb} MB at the end (max ${result.rssMb.max}); trend after warm-up ${mbPerMinute} MB/min; highest / lowest in each third after warm-up: ${thirds.map((t) => `${t.max} / ${t.min}`).join(', ')} MB`);
  return result;
}
