/**
 * `npm run bench -- search`: catalogue search on PostgreSQL, on the demo data and at 100,000
 * products. A throw-away database is made on the server named by BENCH_DATABASE_URL (or
 * TEST_DATABASE_URL), seeded with the demo catalogue, measured, then grown to 100k realistic
 * synthetic products built from the demo vocabulary (names, sets, provinces, producers,
 * certificates incl. expired and revoked ones), reindexed with `npm run search:reindex` while the
 * site serves, and measured again. Each run times 1,000 mixed searches (text with typos, prefixes,
 * English, synonyms; filters; sorts; paging; facets always) through /api/search and 1,000
 * GET /api/health on the same server (the baseline), times the backend's statement alone for the
 * same queries (which words set the p95), and captures EXPLAIN (ANALYZE) of the backend's queries.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import postgres from 'postgres';
import type { SQL } from 'drizzle-orm';
import { withFreshDatabase } from './reference.ts';

type Stats = { n: number; median: number; p95: number; p99: number; max: number };
export interface BenchHelpers {
  startServer(dataDir: string, env?: Record<string, string>): Promise<{ child: ChildProcess; url: string }>;
  stopServer(child: ChildProcess): Promise<void>;
  stats(samples: number[]): Stats;
  tmpDir(): string;
  timeRequests(base: string, paths: string[], rounds: number): Promise<number[]>;
}

const TEXTS = ['nuoc mam', 'nước mắm', 'nuoc mamm', 'nuoc ma', 'mật ong', 'mat ong', 'honey', 'tra', 'chè', 'tea', 'cà phê', 'cafe', 'coffee',
  'gạo hữu cơ', 'gao', 'rice', 'nem chua', 'ruou', 'wine', 'gốm', 'ceramic', 'lua', 'silk', 'bưởi', 'pomelo', 'mai vang', 'lan', 'orchid',
  'du lich', 'homestay', 'nghe', 'turmeric', 'que', 'cinamon', 'hanh tim', 'dau phung', 'tuong', 'thai nguyen', 'phu quoc', 'tan cuong',
  'tra hoa vang', 'banh dau xanh', 'mam tom', 'chả', 'may tre', 'bamboo', 'siro nho', 'thổ cẩm', 'cao', 'saphraton'];
const GROUPS = ['food', 'beverages', 'herbal', 'handicrafts', 'ornamentals', 'tourism'];
const PROVINCES = ['thai-nguyen', 'thanh-hoa', 'ha-noi', 'lam-dong', 'gia-lai', 'an-giang', 'quang-ninh', 'nghe-an', 'hai-phong', 'dak-lak'];
const SORTS = ['relevance', 'price_asc', 'price_desc', 'stars', 'newest'];

function rng(seed: number) {
  return () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
}

/** 1,000 mixed queries: text alone, text + filters, filters alone, sorted lists, deep pages. */
export function mixedQueries(n = 1000): string[] {
  const r = rng(42);
  const pick = <T>(a: T[]) => a[Math.floor(r() * a.length)]!;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const p = new URLSearchParams();
    const kind = r();
    if (kind < 0.7) p.set('q', pick(TEXTS));
    if (kind >= 0.4 || r() < 0.2) {
      if (r() < 0.5) p.set('group', pick(GROUPS));
      if (r() < 0.35) p.set('stars', String(3 + Math.floor(r() * 3)));
      if (r() < 0.3) p.set('province', pick(PROVINCES));
      if (r() < 0.2) p.set('priceMax', String(50_000 + Math.floor(r() * 20) * 25_000));
    }
    if (r() < 0.35) p.set('sort', pick(SORTS));
    if (r() < 0.15) p.set('page', String(2 + Math.floor(r() * 20)));
    out.push(`/api/search?${p}`);
  }
  return out;
}

async function measure(h: BenchHelpers, url: string, label: string) {
  const queries = mixedQueries();
  await h.timeRequests(url, queries.slice(0, 100), 1); // warm-up
  const health = Array.from({ length: queries.length }, () => '/api/health');
  // Interleave halves so both see the same machine state.
  const s1 = await h.timeRequests(url, queries.slice(0, 500), 1);
  const h1 = await h.timeRequests(url, health.slice(0, 500), 1);
  const s2 = await h.timeRequests(url, queries.slice(500), 1);
  const h2 = await h.timeRequests(url, health.slice(500), 1);
  const search = h.stats([...s1, ...s2]);
  const baseline = h.stats([...h1, ...h2]);
  const totals = (await (await fetch(`${url}/api/search?limit=1`)).json()) as { total: number };
  console.log(`search (${label}, ${totals.total} listed): p50 ${search.median} ms, p95 ${search.p95} ms, p99 ${search.p99} ms over ${search.n} queries`);
  console.log(`  baseline /api/health: p50 ${baseline.median} ms, p95 ${baseline.p95} ms, p99 ${baseline.p99} ms — search p95 is ${(search.p95 / baseline.p95).toFixed(2)}× the baseline`);
  return { listed: totals.total, search, baseline: { path: '/api/health', ...baseline }, p95Ratio: Math.round((search.p95 / baseline.p95) * 100) / 100, medianRatio: Math.round((search.median / baseline.median) * 100) / 100 };
}

/** Grows the catalogue to `target` products from the demo vocabulary, in plain SQL. */
export async function growCatalogue(sql: postgres.Sql, target: number): Promise<void> {
  await sql`insert into producers (slug, name, type, province_code, commune, status)
    select 'bench-producer-' || i,
      (array['HTX', 'Công ty TNHH', 'Tổ hợp tác', 'Hộ kinh doanh', 'Trang trại'])[1 + i % 5] || ' ' ||
        (array['Hòa Bình', 'An Phú', 'Tân Cương', 'Phú Quốc', 'Thanh Hà', 'Mộc Châu', 'Đồng Tháp', 'Bảo Lộc', 'Hương Sơn', 'Kim Sơn', 'Ba Chẽ', 'Tiên Phước'])[1 + i % 12]
        || ' ' || i,
      (array['cooperative', 'enterprise', 'cooperative_group', 'household', 'farm'])[1 + i % 5],
      (select code from provinces order by code offset i % 34 limit 1), 'xã ' || i, 'verified'
    from generate_series(1, 2000) i`;
  await sql`update producers set status = 'suspended' where slug in (select 'bench-producer-' || i from generate_series(7, 2000, 97) i)`;
  const [{ n }] = await sql<[{ n: number }]>`select count(*)::int as n from products`;
  await sql`
    with base as (select row_number() over (order by id) - 1 as k, * from products where slug not like 'bench-%'),
         nb as (select count(*) as c from base)
    insert into products (slug, producer_id, group_code, subgroup_code, kind, name_vi, name_en, description_vi, description_en,
      story_vi, story_en, price, unit_vi, unit_en, weight_grams, stock, status, featured, published_at, created_at)
    select 'bench-' || g, pr.id, b.group_code, b.subgroup_code, b.kind,
      b.name_vi || ' ' || (array['loại đặc biệt', 'hảo hạng', 'truyền thống', 'hữu cơ', 'quà biếu', 'gia truyền', 'thượng hạng', 'mùa mới'])[1 + g % 8] || ' ' || split_part(pr.name, ' ', 3),
      b.name_en || ' ' || (array['special grade', 'premium', 'traditional', 'organic', 'gift', 'heritage', 'superior', 'new season'])[1 + g % 8],
      b.description_vi, b.description_en, b.story_vi, b.story_en,
      greatest(5000, (b.price * (0.5 + ((g * 7919) % 100) / 100.0))::int / 1000 * 1000), b.unit_vi, b.unit_en, b.weight_grams,
      (g * 31) % 200, 'published', g % 97 = 0, now() - ((g % 900) || ' days')::interval, now() - ((g % 900) || ' days')::interval
    from generate_series(1, ${target - n}) g
    join base b on b.k = g % (select c from nb)
    join producers pr on pr.slug = 'bench-producer-' || (1 + g % 2000)`;
  // Certificates for ~70 %: 3–5★, some expired, ~1 % revoked.
  await sql`insert into certificates (product_id, number, decision_number, authority, authority_level, stars, issued_on, valid_until, status, revoked_at, revocation_reason)
    select p.id, 'B' || p.id || '/GCN-OCOP', p.id || '/QĐ-UBND', 'UBND tỉnh', 'province', 3 + p.id % 3,
      current_date - (p.id % 1400), current_date - (p.id % 1400) + interval '36 months',
      case when p.id % 101 = 0 then 'revoked' else 'active' end,
      case when p.id % 101 = 0 then now() end, case when p.id % 101 = 0 then 'Kiểm tra sau công nhận' end
    from products p where p.slug like 'bench-%' and p.id % 10 < 7`;
  await sql`analyze`;
}

/** Searches whose statements are EXPLAINed: exactly what the backend runs (searchStatements), not copies. */
const EXPLAINS: Array<[string, string]> = [
  ['text query page + facets ("nuoc mam", relevance)', 'q=nuoc mam'],
  ['common words + filter ("mat ong", stars=5)', 'q=mat ong&stars=5'],
  ['a word most products match ("tra", province=lam-dong)', 'q=tra&province=lam-dong'],
  ['filter-only page + facets (group=beverages, sort=price_asc)', 'group=beverages&sort=price_asc'],
  ['price filter, no query (priceMax=100000, group=food)', 'priceMax=100000&group=food'],
];

/** Builds the backend's statement for a query string (searchStatements, as the backend does). */
async function statementFor(vocab: ReadonlySet<string>, qs: string) {
  const { searchStatements } = await import('../../src/lib/search/postgres.backend.ts');
  const { parseSearchParams } = await import('../../src/lib/search/index.ts');
  const { todayInVietnam } = await import('../../src/lib/catalog/index.ts');
  return searchStatements(parseSearchParams(new URLSearchParams(qs)), todayInVietnam(), vocab);
}

/** Runs a statement as the backend runs it (text searches: GIN-driven, no JIT, 32 MB work_mem), optionally prefixed (EXPLAIN). */
async function runStatement(sql: postgres.Sql, st: { statement: SQL; text: boolean }, prefix = ''): Promise<postgres.Row[]> {
  const { PgDialect } = await import('drizzle-orm/pg-core');
  const { sql: text, params } = new PgDialect().sqlToQuery(st.statement);
  return sql.begin(async (tx) => {
    if (st.text) await tx`select set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true), set_config('work_mem', '32MB', true)`;
    return tx.unsafe(`${prefix} ${text}`, params as never[]);
  });
}

const termsOf = async (sql: postgres.Sql) => new Set((await sql<Array<{ term: string }>>`select term from search_terms`).map((r) => r.term));

/** EXPLAIN (ANALYZE, BUFFERS) of the backend's statement for a query string, run as the backend runs it. */
async function explainSearch(sql: postgres.Sql, qs: string): Promise<string[]> {
  const rows = await runStatement(sql, await statementFor(await termsOf(sql), qs), 'explain (analyze, buffers, costs off)');
  return rows.map((r) => String(Object.values(r)[0]));
}

/** EXPLAIN of reading a query text's match set into memory (postgres.memory.ts), once per index change. */
async function explainMatchSet(sql: postgres.Sql, q: string): Promise<string[]> {
  const { textMatch } = await import('../../src/lib/search/postgres.backend.ts');
  const { matchSetStatement } = await import('../../src/lib/search/postgres.memory.ts');
  const text = textMatch({ q }, await termsOf(sql))!;
  const rows = await runStatement(sql, { statement: matchSetStatement(text), text: true }, 'explain (analyze, buffers, costs off)');
  return rows.map((r) => String(Object.values(r)[0]));
}

/**
 * The one-statement path alone (no HTTP, no hydration; what each search costs with
 * SEARCH_CACHE_MB=0, or when the in-memory copy does not fit) for each of the mixed queries:
 * where that path's time goes, and which words set its p95.
 */
async function statementTimes(sql: postgres.Sql): Promise<{ stats: Stats; slowest: Record<string, number> }> {
  const vocab = await termsOf(sql);
  const times: Array<[number, string]> = [];
  for (const path of mixedQueries()) {
    const qs = path.slice(path.indexOf('?') + 1);
    const statement = await statementFor(vocab, qs);
    const t0 = performance.now();
    await runStatement(sql, statement);
    times.push([performance.now() - t0, qs]);
  }
  const ms = times.map(([t]) => t).sort((a, b) => a - b);
  const at = (q: number) => Math.round(ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]! * 10) / 10;
  const stats = { n: ms.length, median: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1) };
  // How many of the queries above the p95 each text (or "no query") accounts for.
  const slowest: Record<string, number> = {};
  for (const [t, qs] of times) if (t > stats.p95) {
    const q = new URLSearchParams(qs).get('q') ?? '(no query)';
    slowest[q] = (slowest[q] ?? 0) + 1;
  }
  return { stats, slowest: Object.fromEntries(Object.entries(slowest).sort((a, b) => b[1] - a[1])) };
}

/**
 * What an edit costs search: one index row is rewritten (as a producer's edit does), which drops
 * the in-memory copy; then the first 200 queries of the mix, each text read afresh.
 */
async function firstSearchesAfterAChange(h: BenchHelpers, sql: postgres.Sql, url: string): Promise<Stats> {
  await sql`update search_documents set featured = featured where product_id = (select min(product_id) from search_documents)`;
  return h.stats(await h.timeRequests(url, mixedQueries().slice(0, 200), 1));
}

export async function runSearchBench(h: BenchHelpers): Promise<Record<string, unknown>> {
  const admin = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (!admin) {
    console.log('search: skipped — set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to a PostgreSQL server the user may create databases on.');
    return { skipped: 'no BENCH_DATABASE_URL / TEST_DATABASE_URL' };
  }
  return withFreshDatabase((databaseUrl) => runOn(h, databaseUrl), 'bench_search');
}

async function runOn(h: BenchHelpers, databaseUrl: string): Promise<Record<string, unknown>> {
  const url = new URL(databaseUrl);
  // PAGE_CACHE_MB=0: the rendered-response cache would answer the repeated queries; this bench measures the backend.
  const env = { DATABASE_URL: url.href, SEED_DEMO: '1', PAGE_CACHE_MB: '0' };
  const server = await h.startServer(h.tmpDir(), env);
  const sql = postgres(url.href, { max: 1, onnotice: () => {} });
  try {
    const demo = await measure(h, server.url, 'demo data');
    const t0 = performance.now();
    await growCatalogue(sql, 100_000);
    const loadMs = performance.now() - t0;
    const t1 = performance.now();
    const reindex = spawnSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'scripts/search-reindex.ts'], { env: { ...process.env, ...env, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'inherit', 'inherit'] });
    if (reindex.status !== 0) throw new Error('search:reindex failed');
    const reindexMs = performance.now() - t1;
    console.log(`100k catalogue: loaded in ${(loadMs / 1000).toFixed(1)} s, reindexed (while serving) in ${(reindexMs / 1000).toFixed(1)} s`);
    // spawnSync blocked this event loop meanwhile: let fetch notice the keep-alive sockets the
    // server closed, or the next request is sent on a dead one ("other side closed").
    await new Promise((r) => setTimeout(r, 500));
    const [{ n: analyzed }] = await sql<[{ n: number }]>`select count(*)::int as n from pg_stat_user_tables where relname = 'search_documents' and greatest(last_analyze, last_autoanalyze) is not null`;
    if (!analyzed) throw new Error('search:reindex left search_documents without statistics');
    const large = await measure(h, server.url, '100k products');
    const afterChange = await firstSearchesAfterAChange(h, sql, server.url);
    console.log(`  right after an index change (the in-memory copy dropped; first 200 queries of the mix, each text read afresh): p50 ${afterChange.median} ms, p95 ${afterChange.p95} ms, p99 ${afterChange.p99} ms, max ${afterChange.max} ms`);
    const statements = await statementTimes(sql);
    console.log(`  the one-statement path alone (SEARCH_CACHE_MB=0; same queries, no HTTP): p50 ${statements.stats.median} ms, p95 ${statements.stats.p95} ms, p99 ${statements.stats.p99} ms; above its p95: ${Object.entries(statements.slowest).map(([q, n]) => `${q} ×${n}`).join(', ')}`);
    const explain: Record<string, string[]> = {};
    for (const [label, qs] of EXPLAINS) {
      explain[label] = await explainSearch(sql, qs);
      console.log(`\nEXPLAIN ${label}:\n  ${explain[label]!.join('\n  ')}`);
    }
    explain['match set of "tra" read into memory'] = await explainMatchSet(sql, 'tra');
    console.log(`\nEXPLAIN match set of "tra" read into memory:\n  ${explain['match set of "tra" read into memory']!.join('\n  ')}`);
    const targets = { demoP95Ms: 15, largeP95Ms: 30, demoMet: demo.search.p95 <= 15, largeMet: large.search.p95 <= 30 };
    console.log(`\ntargets: demo p95 ≤ 15 ms ${targets.demoMet ? 'met' : 'MISSED'}; 100k p95 ≤ 30 ms ${targets.largeMet ? 'met' : 'MISSED'}`);
    return { backend: 'postgres', demo, large: { ...large, loadMs: Math.round(loadMs), reindexMs: Math.round(reindexMs), afterChange, statements }, targets, explain };
  } finally {
    await sql.end({ timeout: 5 });
    await h.stopServer(server.child);
  }
}
