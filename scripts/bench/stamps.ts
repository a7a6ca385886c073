/**
 * Bench suite "stamps" (npm run bench -- stamps): the producer's stamp pages with a producer
 * holding 100,000 stamps (20,000 scanned, 60 over the warning thresholds, 60,000 scan rows), on
 * PostgreSQL (BENCH_DATABASE_URL or TEST_DATABASE_URL server). Figures are ratios against
 * /dashboard/account, a signed-in page of the same shell with no stamp queries, measured in the
 * same run; and the provenance page's latency while a 5,000-stamp PDF sheet is being drawn,
 * against its latency on an idle server (the sheet must not stall scans).
 */
import { execFileSync } from 'node:child_process';
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
      execFileSync(process.execPath, [path.join(process.cwd(), 'node_modules/tsx/dist/cli.mjs'), 'scripts/stamps-issue.ts', '--product', PRODUCT, '--count', '100000', '--format', 'json', '--out', path.join(dir, 'run.json')], {
        env: { ...process.env, DATABASE_URL: databaseUrl, DATA_DIR: dir, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'ignore'],
      });
      const issueMs = performance.now() - t0;
      await sql`with pick as (select s.id, row_number() over (order by s.id) as n from stamps s join lots l on l.id = s.lot_id join products p on p.id = l.product_id where p.slug = ${PRODUCT})
        update stamps set scan_count = case when pick.n <= 60 then 30 else 1 + pick.n % 3 end, scan_days = case when pick.n <= 60 then 8 else 1 end,
          first_scanned_at = now() - interval '20 days', last_scanned_at = now() - (pick.n % 80) * interval '1 day'
        from pick where stamps.id = pick.id and pick.n <= 20000`;
      await sql`with scanned as (select id, row_number() over (order by id) - 1 as n from stamps where scan_count > 0)
        insert into scans (stamp_id, scanned_at, verdict, network_prefix, client, language)
        select s.id, now() - (g % 80) * interval '1 day', 'genuine', (g % 40)::text || '.' || (g % 7)::text || '.0.0/16', 'Chrome/Android', case when g % 5 = 0 then 'en' else 'vi' end
        from generate_series(1, 60000) g join scanned s on s.n = g % 20000`;

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

      // A 5,000-stamp sheet: how long it takes, and whether /t/<code> keeps answering meanwhile.
      const [bigLot] = await sql<Array<{ id: number }>>`insert into lots (product_id, code, produced_on, quantity)
        select id, 'BENCH5K', current_date, 5000 from products where slug = ${PRODUCT} returning id`;
      const issued = await fetch(`${server.url}/api/producer/stamp-runs`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ lotId: bigLot!.id, count: 5000 }) });
      const run = (await issued.json()) as { id: number; stamps: Array<{ code: string }>; sheets: { pdf: string; svg: string } };
      const trace = `${server.url}/t/${run.stamps[0]!.code}`;
      const idle = stats(await timed(trace, {}, 50));
      const during: number[] = [];
      let drawing = true;
      const probe = (async () => {
        while (drawing) during.push(...(await timed(trace, {}, 1)));
      })();
      const s0 = performance.now();
      const pdf = await fetch(server.url + run.sheets.pdf, { headers });
      const pdfBytes = (await pdf.arrayBuffer()).byteLength;
      const pdfMs = performance.now() - s0;
      drawing = false;
      await probe;
      const busy = stats(during);
      const s1 = performance.now();
      const svgBytes = (await (await fetch(server.url + run.sheets.svg, { headers })).arrayBuffer()).byteLength;
      const svgMs = performance.now() - s1;
      result.sheet = {
        labels: 5000, pdf: { ms: Math.round(pdfMs), bytes: pdfBytes, pages: Number(pdf.headers.get('x-sheet-pages')) }, svg: { ms: Math.round(svgMs), bytes: svgBytes },
        traceIdle: idle, traceWhileDrawing: busy, p99Ratio: Math.round((busy.p99 / idle.p99) * 100) / 100,
      };
      console.log(`stamps sheet of 5,000: PDF ${Math.round(pdfMs)} ms (${(pdfBytes / 1e6).toFixed(1)} MB), SVG ${Math.round(svgMs)} ms (${(svgBytes / 1e6).toFixed(1)} MB)`);
      console.log(`stamps /t/<code> while the PDF is drawn: p50 ${busy.median} ms, p99 ${busy.p99} ms, max ${busy.max} ms over ${busy.n} requests — idle p99 ${idle.p99} ms`);
      return result;
    } finally {
      await sql.end({ timeout: 5 });
      await stopServer(server.child);
    }
  });
}
