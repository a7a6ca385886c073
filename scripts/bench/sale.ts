/**
 * The `sale` suite of `npm run bench`: pages stay fast while orders flow (issue 18).
 *
 * 50 connections read product pages, combo pages and searches of the whole demo catalogue (the
 * same mixed list for both sides). In alternating slices the same read load runs
 *   - alone (the baseline), and
 *   - while a second generator places BENCH_SALE_ORDERS_PER_SECOND (10) orders a second, open loop:
 *     cash on delivery and VietQR in turn, single products and gift boxes, on a quarter of the
 *     catalogue (the "hot" products: the components of some boxes, filled up with other products).
 * Target: page throughput during the sale ≥ 60 % of the baseline's, p99 ≤ 50 ms.
 *
 * Freshness is checked at the same time. The guarantee (lib/http/page-cache): a page shows every
 * change committed before its request arrived, stock included. Beside the orders, the
 * stock of a "canary" product outside the hot quarter (but among the pages read) is set, twice a
 * second, to a new figure between 0 and 5 — a stock-only change, as an order makes — and its page
 * is fetched at once in both languages: it must show exactly that figure ("Chỉ còn 3", "Only 3
 * left", sold out).
 */
import { performance } from 'node:perf_hooks';
import postgres from 'postgres';
import { combine, load, type LoadResult } from './load.ts';
import { mixedQueries } from './search.ts';

export interface SaleOptions {
  site: string;
  databaseUrl: string;
  connections: number;
  seconds: number;
  slices: number;
}

interface OrderStats {
  placed: number;
  refused: number;
  failed: number;
  perSecond: number;
  latencyMs: { p50: number; p99: number };
  freshness: { checked: number; stale: number; examples: string[] };
}

const customer = { name: 'Khách Hội Chợ', phone: '0912345678', email: 'sale@example.com', address: { line: '1 Tràng Tiền', commune: 'Hoàn Kiếm', province: 'Hà Nội' } };

/** The low-stock figure a product page shows ("Chỉ còn 3", "Only 3 left"), 0 when sold out, null otherwise. */
function shownStock(html: string): number | null {
  if (/class="stock stock--out"/.test(html)) return 0;
  const m = /class="stock stock--low">[^<]*?(\d+)/.exec(html);
  return m ? Number(m[1]) : null;
}

async function orderLoop(opts: SaleOptions, hot: { products: string[]; combos: string[]; canary: string }, sql: postgres.Sql, seconds: number, rate: number): Promise<OrderStats> {
  const latencies: number[] = [];
  const stats = { placed: 0, refused: 0, failed: 0 };
  const freshness = { checked: 0, stale: 0, examples: [] as string[] };
  const inFlight: Promise<void>[] = [];
  const started = performance.now();
  const end = started + seconds * 1000;
  let i = 0;
  const place = async (n: number) => {
    const useCombo = hot.combos.length > 0 && n % 3 === 2;
    const product = hot.products[(n * 7) % hot.products.length]!;
    const items = useCombo ? [{ combo: hot.combos[n % hot.combos.length]!, qty: 1 }] : [{ slug: product, qty: 1 }, { slug: hot.products[(n * 11 + 5) % hot.products.length]!, qty: 1 }];
    const t0 = performance.now();
    const res = await fetch(`${opts.site}/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `sale-${process.pid}-${n}-${Date.now()}` },
      body: JSON.stringify({ items, customer, payment: n % 2 ? 'vietqr' : 'cod' }),
    });
    await res.arrayBuffer();
    latencies.push(performance.now() - t0);
    if (res.status === 201) stats.placed++;
    else if (res.status === 409) stats.refused++;
    else {
      stats.failed++;
      if (process.env.BENCH_DEBUG) console.error('sale: order answered', res.status);
      return;
    }
  };
  // Freshness, one change at a time beside the orders: a stock change committed now must show on
  // the very next request for the page.
  const canary = (async () => {
    for (let n = 0; performance.now() < end; n++) {
      const figure = n % 6;
      await sql`update products set stock = ${figure}, reserved = 0 where slug = ${hot.canary}`;
      for (const prefix of ['', '/en']) {
        const page = await fetch(`${opts.site}${prefix}/products/${hot.canary}`);
        const shown = shownStock(await page.text());
        freshness.checked++;
        if (shown !== figure) {
          freshness.stale++;
          if (freshness.examples.length < 5) freshness.examples.push(`${prefix}/products/${hot.canary}: page ${shown}, database ${figure} (${page.headers.get('x-cache') ?? 'not from the cache'})`);
        }
      }
      // Twice a second: often enough to catch a stale page, rarely enough not to turn the canary into
      // the hottest product of the sale (every page showing it is rendered again after each change).
      await new Promise((r) => setTimeout(r, 500));
    }
  })();
  while (performance.now() < end) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (performance.now() >= end) break;
    inFlight.push(place(i++).catch(() => void stats.failed++));
  }
  await Promise.all([...inFlight, canary]);
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0) * 10) / 10;
  return { ...stats, perSecond: Math.round((i / seconds) * 10) / 10, latencyMs: { p50: at(0.5), p99: at(0.99) }, freshness };
}

export async function runSaleBench(opts: SaleOptions) {
  const sql = postgres(opts.databaseUrl, { max: 2, onnotice: () => {} });
  try {
    const products = (await sql<Array<{ id: number; slug: string }>>`select id, slug from products where status = 'published' and kind = 'goods' order by id`);
    const combos = await sql<Array<{ slug: string; items: number[] }>>`
      select c.slug, array_agg(ci.product_id order by ci.product_id) as items from combos c join combo_items ci on ci.combo_id = c.id
      where c.status = 'published' group by c.slug order by c.slug`;
    // A quarter of the catalogue: the components of the first boxes, then other products.
    const quarter = Math.max(2, Math.round(products.length / 4));
    const hotIds = new Set<number>();
    const hotCombos: string[] = [];
    for (const c of combos) {
      if (hotIds.size + c.items.filter((id) => !hotIds.has(id)).length > quarter) continue;
      c.items.forEach((id) => hotIds.add(Number(id)));
      hotCombos.push(c.slug);
    }
    for (const p of products) if (hotIds.size < quarter) hotIds.add(p.id);
    const canary = products.filter((p) => !hotIds.has(p.id)).at(-1)!.slug;
    const hot = { products: products.filter((p) => hotIds.has(p.id)).map((p) => p.slug), combos: hotCombos, canary };
    // Enough stock that the sale never runs out (the figure is the pages' cost, not a stock-out).
    await sql`update products set stock = 5000 where id in ${sql([...hotIds])}`;

    const search = mixedQueries(300);
    const productPaths = products.map((p) => `/products/${p.slug}`);
    const comboPaths = combos.map((c) => `/combos/${c.slug}`);
    const paths: string[] = [];
    for (let i = 0; i < 600; i++) paths.push(i % 3 === 0 ? productPaths[i % productPaths.length]! : i % 3 === 1 ? (comboPaths.length ? comboPaths[i % comboPaths.length]! : productPaths[(i * 5) % productPaths.length]!) : search[i % search.length]!);

    const rate = Number(process.env.BENCH_SALE_ORDERS_PER_SECOND ?? 10);
    const slice = opts.seconds / opts.slices;
    await load(opts.site, paths, opts.connections, 2); // warm-up
    const quiet: LoadResult[] = [];
    const sale: LoadResult[] = [];
    const orders: OrderStats[] = [];
    for (let s = 0; s < opts.slices; s++) {
      quiet.push(await load(opts.site, paths, opts.connections, slice));
      const [reads, placed] = await Promise.all([load(opts.site, paths, opts.connections, slice), orderLoop(opts, hot, sql, slice, rate)]);
      sale.push(reads);
      orders.push(placed);
    }
    const baseline = combine(quiet);
    const during = combine(sale);
    const sum = (f: (o: OrderStats) => number) => orders.reduce((n, o) => n + f(o), 0);
    const orderSummary = {
      placed: sum((o) => o.placed), refused: sum((o) => o.refused), failed: sum((o) => o.failed),
      perSecond: Math.round((sum((o) => o.placed + o.refused + o.failed) / (slice * opts.slices)) * 10) / 10,
      latencyP99Ms: Math.max(...orders.map((o) => o.latencyMs.p99)),
      freshness: { checked: sum((o) => o.freshness.checked), stale: sum((o) => o.freshness.stale), examples: orders.flatMap((o) => o.freshness.examples).slice(0, 5) },
    };
    const ratio = Math.round((during.rps / Math.max(1, baseline.rps)) * 1000) / 1000;
    const pass = ratio >= 0.6 && during.latencyMs.p99 <= 50 && orderSummary.freshness.stale === 0 && orderSummary.failed === 0;
    const pct = (r: LoadResult) => (r.requests ? `${((r.cacheHits / r.requests) * 100).toFixed(1)}% from the page cache` : '');
    console.log(`sale reads alone:   ${baseline.rps} req/s, p50 ${baseline.latencyMs.p50} ms, p99 ${baseline.latencyMs.p99} ms, ${baseline.errors} errors, ${pct(baseline)}`);
    console.log(`sale reads + orders: ${during.rps} req/s, p50 ${during.latencyMs.p50} ms, p99 ${during.latencyMs.p99} ms, ${during.errors} errors, ${pct(during)}`);
    console.log(`sale orders: ${orderSummary.placed} placed, ${orderSummary.refused} refused (409), ${orderSummary.failed} failed, ${orderSummary.perSecond}/s, p99 ${orderSummary.latencyP99Ms} ms; hot products ${hot.products.length} of ${products.length}, boxes ${hot.combos.length}`);
    console.log(`sale freshness: ${orderSummary.freshness.checked} pages fetched right after a stock change, ${orderSummary.freshness.stale} did not show it${orderSummary.freshness.examples.length ? `: ${orderSummary.freshness.examples.join('; ')}` : ''}`);
    console.log(`sale: ${(ratio * 100).toFixed(1)}% of the read-only throughput (target ≥ 60%), p99 ${during.latencyMs.p99} ms (target ≤ 50 ms) — ${pass ? 'met' : 'MISSED'}`);
    return { connections: opts.connections, seconds: opts.seconds, slices: opts.slices, paths: paths.length, hot: { products: hot.products.length, of: products.length, combos: hot.combos.length }, baseline, during, ratio, target: 0.6, p99TargetMs: 50, orders: orderSummary, pass };
  } finally {
    await sql.end({ timeout: 5 });
  }
}
