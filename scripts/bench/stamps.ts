/**
 * Bench suite "stamps" (npm run bench -- stamps): the producer's stamp pages with a producer
 * holding 100,000 stamps (20,000 scanned, 60 of them clones over the warning thresholds, 61,620 scan rows), on
 * PostgreSQL (BENCH_DATABASE_URL or TEST_DATABASE_URL server). Figures are ratios against
 * /dashboard/account, a signed-in page of the same shell with no stamp queries, measured in the
 * same run. Then 10,000 stamps issued and their PDF drawn by `npm run stamps:issue` (target: under
 * 60 s), and the provenance page's latency while the server draws that run's PDF sheet, against
 * its latency on an idle server (the sheet must not stall scans).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import postgres from 'postgres';
import type { ChildProcess } from 'node:child_process';
import { withFreshDatabase } from './reference.ts';

interface Deps {
  startServer: (dataDir: string, env?: Record<string, string>) => Promise<{ child: ChildProcess; url: string; ms: number }>;
  stopServer: (child: ChildProcess) => Promise<void>;
  stats: (samples: number[]) => { n: number; median: number; p95: number; p99: number; max: number };
  tmpDir: () => string;
}

const PRODUCER = 'cong-ty-le-gia';
const PRODUCT = 'mam-tom-le-gia';
const tsx = path.join(process.cwd(), 'node_modules/tsx/dist/cli.mjs');

async function timed(url: string, headers: Record<string, string>, rounds: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    const res = await fetch(url, { headers });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
    out.push(performance.now() - t0);
  }
  return out;
}

export async function runStampsBench(deps: Deps) {
  const { startServer, stopServer, stats, tmpDir } = deps;
  return withFreshDatabase(async (databaseUrl) => {
    const dir = tmpDir();
    const server = await startServer(dir, { DATABASE_URL: databaseUrl, SEED_DEMO: '1' });
    const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    try {
      // 100,000 stamps through the CLI (one run), then scans written directly.
      const t0 = performance.now();
      execFileSync(process.execPath, [tsx, 'scripts/stamps-issue.ts', '--product', PRODUCT, '--count', '100000', '--format', 'json', '--out', path.join(dir, 'run.json')], {
        env: { ...process.env, DATABASE_URL: databaseUrl, DATA_DIR: dir, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'ignore'],
      });
      const issueMs = performance.now() - t0;
      // Scans of the first 20,000 stamps, then the stamps' counters recounted from those rows as the
      // scan writer keeps them (lib/trace): count, Vietnam days, distinct networks overall and on
      // the busiest day. The first 60 are clones (30 scans from 12 networks on 8 days: over the
      // thresholds of lib/trace verdict.ts, so /dashboard/stamps lists them); the others were
      // scanned 3 times on one day from 2 networks.
      await sql`with pick as (select s.id, row_number() over (order by s.id) as n from stamps s join lots l on l.id = s.lot_id join products p on p.id = l.product_id where p.slug = ${PRODUCT}),
        seeded as (select id, n, case when n <= 60 then 30 else 3 end as k from pick where n <= 20000)
        insert into scans (stamp_id, scanned_at, verdict, network_prefix, client, language)
        select s.id, now() - (case when s.n <= 60 then g % 8 else s.n % 80 end) * interval '1 day' - g * interval '1 minute', 'genuine',
          (case when s.n <= 60 then g % 12 else s.n % 40 end)::text || '.' || (case when s.n <= 60 then s.n % 7 else g % 2 end)::text || '.0.0/16',
          'Chrome/Android', case when g % 5 = 0 then 'en' else 'vi' end
        from seeded s cross join lateral generate_series(1, s.k) g`;
      await sql`with per_day as (
          select stamp_id, (scanned_at at time zone 'Asia/Ho_Chi_Minh')::date as day, count(distinct network_prefix)::int as n from scans group by 1, 2),
        counted as (select x.stamp_id, count(*)::int as scans, min(x.scanned_at) as first_at, max(x.scanned_at) as last_at, count(distinct x.network_prefix)::int as networks,
            (select count(*) from per_day d where d.stamp_id = x.stamp_id)::int as days, (select max(n) from per_day d where d.stamp_id = x.stamp_id) as peak
          from scans x group by x.stamp_id)
        update stamps s set scan_count = c.scans, scan_days = c.days, scan_networks = c.networks, scan_peak_networks = c.peak, first_scanned_at = c.first_at, last_scanned_at = c.last_at
        from counted c where s.id = c.stamp_id`;
      const [seeded] = await sql<Array<{ scans: number; clones: number }>>`select (select count(*) from scans)::int as scans,
        (select count(*) from stamps where scan_networks > 8)::int as clones`;
      if (seeded!.clones < 60) throw new Error(`seeding: ${seeded!.clones} stamps over the network threshold, expected at least 60`);
      console.log(`stamps seeded: ${seeded!.scans} scans, ${seeded!.clones} stamps over the network threshold`);

      const login = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: `${PRODUCER}@ocop.local`, password: 'ocop-demo-2026' }) });
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
      const headers = { cookie };
      const [lot] = await sql<Array<{ id: number }>>`select l.id from lots l join products p on p.id = l.product_id where p.slug = ${PRODUCT} order by l.produced_on desc limit 1`;
      const pages = { overview: '/dashboard', stamps: '/dashboard/stamps', lot: `/dashboard/lots/${lot!.id}` } as const;
      const rounds = Number(process.env.BENCH_ROUNDS ?? 20);
      for (const p of [...Object.values(pages), '/dashboard/account']) await timed(server.url + p, headers, 2); // warm-up
      const result: Record<string, unknown> = { stamps: 100_000, issueMs: Math.round(issueMs) };
      const baseline = stats(await timed(`${server.url}/dashboard/account`, headers, rounds));
      result.baseline = { path: '/dashboard/account', ...baseline };
      for (const [name, p] of Object.entries(pages)) {
        const s = stats(await timed(server.url + p, headers, rounds));
        result[name] = { path: p, ...s, medianRatio: Math.round((s.median / baseline.median) * 100) / 100 };
        console.log(`stamps ${p}: median ${s.median} ms, p95 ${s.p95} ms — ${(s.median / baseline.median).toFixed(2)}× /dashboard/account (${baseline.median} ms)`);
      }

      // 10,000 stamps issued and their PDF drawn, in one CLI run (target: under 60 s, process
      // start included); then the server draws the same run's sheet again while /t/<code> is probed.
      const LABELS = 10_000;
      const [bigLot] = await sql<Array<{ id: number }>>`insert into lots (product_id, code, produced_on, quantity)
        select id, 'BENCH10K', current_date, ${LABELS} from products where slug = ${PRODUCT} returning id`;
      const c0 = performance.now();
      const cli = spawnSync(process.execPath, [tsx, 'scripts/stamps-issue.ts', '--product', PRODUCT, '--lot', 'BENCH10K', '--count', String(LABELS), '--format', 'pdf', '--out', path.join(dir, 'run10k.pdf')], {
        env: { ...process.env, DATABASE_URL: databaseUrl, DATA_DIR: dir, LOG_LEVEL: 'warn' }, encoding: 'utf8',
      });
      const cliMs = performance.now() - c0;
      if (cli.status !== 0) throw new Error(`stamps:issue --count ${LABELS} --format pdf failed: ${cli.stderr}`);
      const cliPdf = fs.statSync(path.join(dir, 'run10k.pdf')).size;
      const cliPages = Number(/(\d+) page\(s\)/.exec(cli.stderr)?.[1]);
      console.log(`stamps ${LABELS.toLocaleString('en')} issued + PDF by the CLI: ${(cliMs / 1000).toFixed(1)} s wall, process start included (${cliPages} pages, ${(cliPdf / 1e6).toFixed(1)} MB) — target < 60 s`);

      const [run] = await sql<Array<{ id: number }>>`select id from stamp_runs where lot_id = ${bigLot!.id} order by id desc limit 1`;
      const [stamp] = await sql<Array<{ code: string }>>`select code from stamps where run_id = ${run!.id} order by id limit 1`;
      const trace = `${server.url}/t/${stamp!.code}`;
      const idle = stats(await timed(trace, {}, 50));
      const during: number[] = [];
      let drawing = true;
      const probe = (async () => {
        while (drawing) during.push(...(await timed(trace, {}, 1)));
      })();
      const s0 = performance.now();
      const pdf = await fetch(`${server.url}/api/producer/stamp-runs/${run!.id}/sheet.pdf`, { headers });
      const pdfBytes = (await pdf.arrayBuffer()).byteLength;
      const pdfMs = performance.now() - s0;
      drawing = false;
      await probe;
      if (pdf.status !== 200) throw new Error(`sheet.pdf answered ${pdf.status}`);
      const busy = stats(during);
      const s1 = performance.now();
      const svgBytes = (await (await fetch(`${server.url}/api/producer/stamp-runs/${run!.id}/sheet.svg`, { headers })).arrayBuffer()).byteLength;
      const svgMs = performance.now() - s1;
      result.sheet = {
        labels: LABELS,
        cli: { ms: Math.round(cliMs), bytes: cliPdf, pages: cliPages, targetMs: 60_000, pass: cliMs < 60_000 },
        pdf: { ms: Math.round(pdfMs), bytes: pdfBytes, pages: Number(pdf.headers.get('x-sheet-pages')) }, svg: { ms: Math.round(svgMs), bytes: svgBytes },
        traceIdle: idle, traceWhileDrawing: busy, p99Ratio: Math.round((busy.p99 / idle.p99) * 100) / 100,
      };
      console.log(`stamps sheet of ${LABELS.toLocaleString('en')} drawn by the server: PDF ${Math.round(pdfMs)} ms (${(pdfBytes / 1e6).toFixed(1)} MB), SVG ${Math.round(svgMs)} ms (${(svgBytes / 1e6).toFixed(1)} MB)`);
      console.log(`stamps /t/<code> while the PDF is drawn: p50 ${busy.median} ms, p99 ${busy.p99} ms, max ${busy.max} ms over ${busy.n} requests — idle p99 ${idle.p99} ms`);
      return result;
    } finally {
      await sql.end({ timeout: 5 });
      await stopServer(server.child);
    }
  });
}
