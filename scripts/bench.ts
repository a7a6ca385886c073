/**
 * npm run bench [-- <suite> …]: performance figures, always against a baseline measured in the
 * same run (ratios, not absolute numbers, are what carry across machines). Without arguments every
 * suite but `soak` runs.
 *
 *   startup  time from `npm start` to serving: first start (migrate + seed) and second start
 *   product  GET /products/<slug> at 50 connections on PostgreSQL vs. the reference server
 *   search   GET /api/search (1,000 mixed queries) at 50 connections vs. the reference; then latency
 *            vs. GET /api/health on the demo data and at 100,000 products (scripts/bench/search.ts)
 *   trace    GET /t/<code> at 50 connections (scans recorded) vs. the reference; after SIGTERM every
 *            answered scan must be in the database
 *   stamps   (only when named) the producer's stamp pages with 100,000 stamps vs. /dashboard/account;
 *            10,000 stamps issued + their PDF by the CLI (< 60 s), and /t/<code> latency while the
 *            server draws that PDF vs. idle (scripts/bench/stamps.ts)
 *   sale     product, combo and search pages at 50 connections while 10 orders/s move stock, vs. the
 *            same reads alone (scripts/bench/sale.ts); stale pages counted
 *   checkout orders/s of POST /api/orders (cash on delivery, 8 at a time) vs. GET /api/health at the same concurrency
 *   soak     (only when named) BENCH_SOAK_SECONDS (600) of moderate mixed load; RSS at start, end, trend
 *
 * The reference (scripts/bench/reference.ts) is a minimal node:http + postgres.js server, in a process
 * of its own (never the load generator's thread), answering
 * each page kind from one indexed lookup and a template string; the load generator is
 * scripts/bench/load.ts. The page suites share one throw-away PostgreSQL database (BENCH_DATABASE_URL,
 * else TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres). Writes data/bench/latest.json.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { mixedQueries, runSearchBench } from './bench/search.ts';
import { compare } from './bench/load.ts';
import { countScans, stampCodes, startReference, withFreshDatabase } from './bench/reference.ts';
import { runSoak } from './bench/soak.ts';
import { runSaleBench } from './bench/sale.ts';
import postgres from 'postgres';
import { serverSql } from '../tests/support/server-sql.ts';
import { servingPids } from '../tests/support/server.ts';

const root = process.cwd();
const tsx = path.join(root, 'node_modules/tsx/dist/cli.mjs');
const requested = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const suites = requested.length ? requested : ['startup', 'product', 'search', 'sale', 'trace', 'checkout'];

function ensureBuilt(): void {
  const res = spawnSync(process.execPath, [path.join(root, 'node_modules/astro/bin/astro.mjs'), 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (res.status !== 0) throw new Error('astro build failed');
}

async function startServer(dataDir: string, extraEnv: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string; ms: number }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['scripts/start.ts'], {
    // One load generator on loopback places every order: the per-network ordering limits are off unless set.
    env: { ORDERS_PER_NETWORK_HOUR: '0', HELD_ORDERS_PER_NETWORK: '0', HELD_UNITS_PER_NETWORK: '0', ...process.env, DATA_DIR: dataDir, DATABASE_URL: process.env.BENCH_DATABASE_URL ?? '', PORT: '0', HOST: '127.0.0.1', SKIP_BUILD: '1', LOG_LEVEL: 'warn', ...extraEnv },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /serving at (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!.replace('localhost', '127.0.0.1'));
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${out}`)));
  });
  return { child, url, ms: performance.now() - t0 };
}

async function stopServer(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/**
 * Every scan updates its stamp's row, so a comparison of /t/<code> leaves ~100 dead versions of
 * each stamp row that the next one's look-ups (the reference's and the site's alike) walk through.
 * A server runs autovacuum for that; test servers often turn it off (this machine's does), so the
 * trace suite vacuums the tables it writes before each comparison, and says when autovacuum is off.
 */
async function vacuumWrittenTables(databaseUrl: string): Promise<void> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const [setting] = await sql<Array<{ autovacuum: string }>>`show autovacuum`;
    if (setting?.autovacuum === 'off' && !vacuumNoted) {
      vacuumNoted = true;
      console.log('trace: autovacuum is off on this PostgreSQL server; the tables scans write are vacuumed before each comparison');
    }
    await sql`vacuum (analyze) stamps, scans, stamp_scan_networks, products`;
  } finally {
    await sql.end({ timeout: 5 });
  }
}
let vacuumNoted = false;

/** The processes serving for a started site: itself and, on PostgreSQL, its web workers. */
function processesOf(child: ChildProcess): number {
  return servingPids(child).length > 1 ? servingPids(child).length - 1 : 1;
}

function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
  const round = (n: number) => Math.round(n * 100) / 100;
  return { n: s.length, median: round(at(50)), p95: round(at(95)), p99: round(at(99)), max: round(s.at(-1)!) };
}

async function timeRequests(base: string, paths: string[], rounds: number): Promise<number[]> {
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const p of paths) {
      const t0 = performance.now();
      const res = await fetch(base + p);
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${p} answered ${res.status}`);
      samples.push(performance.now() - t0);
    }
  }
  return samples;
}

const report: Record<string, unknown> = { date: new Date().toISOString(), machine: { cpus: os.cpus().length, node: process.version, loadAverageAtStart: os.loadavg().map((n) => Math.round(n * 100) / 100) } };
if (process.env.SKIP_BUILD !== "1") ensureBuilt();

if (suites.includes('startup')) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-bench-'));
  const first = await startServer(dir);
  await stopServer(first.child);
  const second = await startServer(dir);
  await stopServer(second.child);
  fs.rmSync(dir, { recursive: true, force: true });
  report.startup = { firstStartMs: Math.round(first.ms), secondStartMs: Math.round(second.ms), ratio: Math.round((first.ms / second.ms) * 100) / 100 };
  console.log(`startup: first start (migrate + seed) ${Math.round(first.ms)} ms, second start ${Math.round(second.ms)} ms`);
}

const loadavg = () => os.loadavg().map((n) => Math.round(n * 100) / 100);
const CONNECTIONS = 50;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
/** Targets of the page suites: share of the reference's requests/s and p99 at 50 connections. */
const TARGETS = { product: 0.25, search: 0.25, trace: 0.4, traceIdeal: 0.5, p99Ms: 50 };

async function measurePages(kind: 'product' | 'search' | 'trace', site: string, reference: string, paths: string[], uncachedSite?: string, oneProcessUncached?: string) {
  const before = loadavg();
  const r = await compare({ site, reference, paths, connections: CONNECTIONS, seconds: SECONDS });
  const target = TARGETS[kind];
  const pass = r.ratio >= target && r.site.latencyMs.p99 <= TARGETS.p99Ms;
  const hits = r.site.cacheHits ? `, ${((r.site.cacheHits / r.site.requests) * 100).toFixed(1)}% from the page cache` : '';
  console.log(`${kind} reference: ${r.reference.rps} req/s, p50 ${r.reference.latencyMs.p50} ms, p99 ${r.reference.latencyMs.p99} ms, ${r.reference.errors} errors`);
  console.log(`${kind} site:      ${r.site.rps} req/s, p50 ${r.site.latencyMs.p50} ms, p99 ${r.site.latencyMs.p99} ms, ${r.site.errors} errors${hits}`);
  console.log(`${kind}: ${(r.ratio * 100).toFixed(1)}% of the reference (target ≥ ${target * 100}%), p99 ${r.site.latencyMs.p99} ms (target ≤ ${TARGETS.p99Ms} ms) — ${pass ? 'met' : 'MISSED'}; load average ${before.join(' ')}`);
  // The same pages rendered every time (PAGE_CACHE_MB=0): what a first visit, or a catalogue
  // changing faster than pages are read, costs. Reported, not held to the target.
  let uncached;
  if (uncachedSite) {
    const u = await compare({ site: uncachedSite, reference, paths, connections: CONNECTIONS, seconds: SECONDS });
    // Issue 18 holds the product page rendered every time to the same share of the reference.
    const uncachedPass = kind === 'product' ? u.ratio >= target : undefined;
    uncached = { reference: u.reference, site: u.site, ratio: u.ratio, pass: uncachedPass };
    console.log(`${kind} without the page cache: ${u.site.rps} req/s, p50 ${u.site.latencyMs.p50} ms, p99 ${u.site.latencyMs.p99} ms — ${(u.ratio * 100).toFixed(1)}% of the reference (${u.reference.rps} req/s)${uncachedPass === undefined ? '' : ` (target ≥ ${target * 100}%) — ${uncachedPass ? 'met' : 'MISSED'}`}`);
  }
  // The same with one serving process (WEB_CONCURRENCY=1), as the embedded database serves: what
  // the second process adds on this machine.
  if (oneProcessUncached) {
    const o = await compare({ site: oneProcessUncached, reference, paths, connections: CONNECTIONS, seconds: SECONDS });
    uncached = { ...uncached!, oneProcess: { reference: o.reference, site: o.site, ratio: o.ratio } };
    console.log(`${kind} without the page cache, one process: ${o.site.rps} req/s, p50 ${o.site.latencyMs.p50} ms, p99 ${o.site.latencyMs.p99} ms — ${(o.ratio * 100).toFixed(1)}% of the reference (${o.reference.rps} req/s)`);
  }
  return { connections: CONNECTIONS, seconds: SECONDS, paths: paths.length, reference: r.reference, site: r.site, ratio: r.ratio, target, p99TargetMs: TARGETS.p99Ms, pass, uncached, loadAverage: { before, after: loadavg() }, warmRequests: r.warmRequests };
}

const pageSuites = suites.filter((s) => s === 'product' || s === 'search' || s === 'trace' || s === 'sale');
if (pageSuites.length) {
  await withFreshDatabase(async (databaseUrl) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-bench-'));
    const server = await startServer(dir, { DATABASE_URL: databaseUrl, SEED_DEMO: '1' });
    // A fresh reference process for each suite: one that has served a suite's load answers the next
    // suite's pages markedly slower (product pages for a minute halved its /t/<code> rate here; the
    // cause is in postgres.js or PostgreSQL's plan cache, not found yet), which flattered the site.
    let reference = await startReference(databaseUrl);
    const freshReference = async () => {
      await reference.close();
      reference = await startReference(databaseUrl);
    };
    const uncachedDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-bench-'));
    const uncached = suites.includes('product') || suites.includes('search') ? await startServer(uncachedDir, { DATABASE_URL: databaseUrl, PAGE_CACHE_MB: '0' }) : null;
    const oneDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-bench-'));
    const oneProcess = suites.includes('product') ? await startServer(oneDir, { DATABASE_URL: databaseUrl, PAGE_CACHE_MB: '0', WEB_CONCURRENCY: '1' }) : null;
    console.log(`site: ${processesOf(server.child)} serving processes (WEB_CONCURRENCY=${process.env.WEB_CONCURRENCY ?? 'auto'} on ${os.availableParallelism()} cores); reference: 1 process of its own`);
    try {
      if (suites.includes('product')) {
        const search = (await (await fetch(`${server.url}/api/search?limit=100`)).json()) as { hits: Array<{ slug: string }> };
        report.product = await measurePages('product', server.url, reference.url, search.hits.map((h) => `/products/${h.slug}`), uncached?.url, oneProcess?.url);
        if (oneProcess) await stopServer(oneProcess.child);
      }
      if (suites.includes('search')) {
        await freshReference();
        report.search = { throughput: await measurePages('search', server.url, reference.url, mixedQueries(), uncached?.url) };
      }
      if (uncached) await stopServer(uncached.child);
      if (suites.includes('sale')) {
        report.sale = await runSaleBench({ site: server.url, databaseUrl, connections: CONNECTIONS, seconds: SECONDS * 2, slices: Number(process.env.BENCH_SLICES ?? 3) });
      }
      if (suites.includes('trace')) {
        const codes = await stampCodes(databaseUrl);
        const before = await countScans(databaseUrl);
        await vacuumWrittenTables(databaseUrl);
        await freshReference();
        const r = await measurePages('trace', server.url, reference.url, codes.map((c) => `/t/${c}`));
        await vacuumWrittenTables(databaseUrl);
        // Against the ideal minimal page (issue 18): one table, one indexed lookup, a template string.
        await freshReference();
        const before2 = loadavg();
        const ideal = await compare({ site: server.url, reference: reference.url, paths: codes.map((c) => `/t/${c}`), referencePaths: codes.map((c) => `/ideal/t/${c}`), connections: CONNECTIONS, seconds: SECONDS });
        const idealPass = ideal.ratio >= TARGETS.traceIdeal && ideal.site.latencyMs.p99 <= TARGETS.p99Ms;
        console.log(`trace ideal page: ${ideal.reference.rps} req/s, p50 ${ideal.reference.latencyMs.p50} ms, p99 ${ideal.reference.latencyMs.p99} ms; site ${ideal.site.rps} req/s, p99 ${ideal.site.latencyMs.p99} ms`);
        console.log(`trace: ${(ideal.ratio * 100).toFixed(1)}% of the ideal minimal page (target ≥ ${TARGETS.traceIdeal * 100}%), p99 ${ideal.site.latencyMs.p99} ms — ${idealPass ? 'met' : 'MISSED'}; load average ${before2.join(' ')}`);
        await stopServer(server.child); // SIGTERM: the buffered scans are flushed before exit
        const after = await countScans(databaseUrl);
        const expected = r.warmRequests + r.site.requests + ideal.warmRequests + ideal.site.requests;
        const recorded = after.scans - before.scans;
        console.log(`trace: scans recorded ${recorded} of ${expected} answered${recorded === expected ? '' : ' — MISMATCH'}`);
        report.trace = { ...r, ideal: { reference: ideal.reference, site: ideal.site, ratio: ideal.ratio, target: TARGETS.traceIdeal, pass: idealPass }, stamps: codes.length, scans: { answered: expected, recorded, countersSum: after.counted - before.counted }, pass: r.pass && idealPass && recorded === expected };
      }
    } finally {
      await reference.close();
      if (server.child.exitCode === null) await stopServer(server.child);
      if (uncached && uncached.child.exitCode === null) await stopServer(uncached.child);
      if (oneProcess && oneProcess.child.exitCode === null) await stopServer(oneProcess.child);
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(oneDir, { recursive: true, force: true });
      fs.rmSync(uncachedDir, { recursive: true, force: true });
    }
  });
}

if (suites.includes('search')) {
  const dirs: string[] = [];
  const latency = await runSearchBench({
    startServer,
    stopServer,
    stats,
    timeRequests,
    tmpDir: () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-bench-'));
      dirs.push(dir);
      return dir;
    },
  });
  report.search = { ...(report.search as object), latency };
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
}

/** Runs `count` calls of `fn` with `concurrency` in flight; returns calls per second and per-call latencies. */
async function throughput(count: number, concurrency: number, fn: (i: number) => Promise<void>): Promise<{ perSecond: number; latency: ReturnType<typeof stats> }> {
  const samples: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) {
      const i = next++;
      const s0 = performance.now();
      await fn(i);
      samples.push(performance.now() - s0);
    }
  }));
  const seconds = (performance.now() - t0) / 1000;
  return { perSecond: Math.round((count / seconds) * 10) / 10, latency: stats(samples) };
}

if (suites.includes('stamps')) {
  const { runStampsBench } = await import('./bench/stamps.ts');
  const dirs: string[] = [];
  report.stamps = await runStampsBench({
    startServer, stopServer, stats,
    tmpDir: () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-bench-'));
      dirs.push(dir);
      return dir;
    },
  });
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
}

if (suites.includes('checkout')) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-bench-'));
  const server = await startServer(dir);
  try {
    const count = Number(process.env.BENCH_ORDERS ?? 200);
    const concurrency = 8;
    // Spread orders over the products with stock to spare, so the figure is the checkout's cost, not a stock-out.
    const search = (await (await fetch(`${server.url}/api/search?limit=100`)).json()) as { hits: Array<{ slug: string }> };
    const stocked: string[] = [];
    for (const h of search.hits) {
      const p = (await (await fetch(`${server.url}/api/products/${h.slug}`)).json()) as { stock: number };
      if (p.stock >= 20) stocked.push(h.slug);
    }
    const customer = { name: 'Bench Buyer', phone: '0912345678', address: { line: '1 Tràng Tiền', commune: 'Hoàn Kiếm', province: 'Hà Nội' } };
    const order = async (i: number) => {
      const res = await fetch(`${server.url}/api/orders`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ items: [{ slug: stocked[i % stocked.length], qty: 1 }, { slug: stocked[(i * 7 + 3) % stocked.length], qty: 1 }], customer, payment: 'cod' }),
      });
      await res.arrayBuffer();
      if (res.status !== 201) throw new Error(`POST /api/orders answered ${res.status}`);
    };
    const health = async () => {
      const res = await fetch(`${server.url}/api/health`);
      await res.arrayBuffer();
    };
    await throughput(20, concurrency, order); // warm-up
    await throughput(100, concurrency, health);
    const orders = await throughput(count, concurrency, (i) => order(i + 20));
    const baseline = await throughput(count, concurrency, health);
    report.checkout = { orders, baseline: { path: '/api/health', ...baseline }, concurrency, products: stocked.length, ratio: Math.round((orders.perSecond / baseline.perSecond) * 1000) / 1000 };
    console.log(`checkout: ${orders.perSecond} orders/s (median ${orders.latency.median} ms, p95 ${orders.latency.p95} ms) with ${concurrency} in flight, ${count} orders of 2 products`);
    console.log(`baseline /api/health: ${baseline.perSecond} req/s — an order costs ${(baseline.perSecond / orders.perSecond).toFixed(1)}× a health check`);
  } finally {
    await stopServer(server.child);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (suites.includes('soak')) {
  // BENCH_SOAK_ON=postgres: on a throw-away PostgreSQL database instead of the embedded one, so the
  // RSS is the site's own (PGlite's WebAssembly heap and buffers live in the serving process).
  const onServer = process.env.BENCH_SOAK_ON === 'postgres';
  const soak = async (databaseUrl: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-bench-'));
    const server = await startServer(dir, onServer ? { DATABASE_URL: databaseUrl, SEED_DEMO: '1' } : {});
    try {
      // Stamps to scan, issued the way producers do it (the CLI works while the site runs).
      const listing = (await (await fetch(`${server.url}/api/search?limit=3`)).json()) as { hits: Array<{ slug: string }> };
      const stampCodes = listing.hits.flatMap((h) => {
        const res = spawnSync(process.execPath, [tsx, 'scripts/stamps-issue.ts', '--product', h.slug, '--count', '20', '--format', 'json'], { env: { ...process.env, DATA_DIR: dir, DATABASE_URL: onServer ? databaseUrl : '', LOG_LEVEL: 'warn' }, encoding: 'utf8' });
        return res.status === 0 ? (JSON.parse(res.stdout) as { stamps: Array<{ code: string }> }).stamps.map((s) => s.code) : [];
      });
      // The sale load of issue 18 runs beside the mixed load (orders restocked through SQL: the
      // server's database, or the embedded one through its socket).
      const sql = serverSql(onServer ? { databaseUrl } : { dataDir: dir });
      try {
        report.soak = { database: onServer ? 'postgres' : 'pglite', ...(await runSoak(server.child, server.url, Number(process.env.BENCH_SOAK_SECONDS ?? 600), { stampCodes, sale: { sql, rate: Number(process.env.BENCH_SALE_ORDERS_PER_SECOND ?? 10) } })) };
      } finally {
        await sql.end({ timeout: 5 });
      }
    } finally {
      await stopServer(server.child);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  if (onServer) await withFreshDatabase(soak, 'soak');
  else await soak('');
}


report.loadAverageAtEnd = loadavg();
fs.mkdirSync(path.join(root, 'data/bench'), { recursive: true });
fs.writeFileSync(path.join(root, 'data/bench/latest.json'), `${JSON.stringify(report, null, 2)}\n`);
console.log('Report written to data/bench/latest.json');
