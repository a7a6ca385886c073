import { sql, type SQL } from 'drizzle-orm';
import { db, type Db } from '../db/index.ts';
import { todayInVietnam, type Listing } from '../catalog/index.ts';
import { hydrate } from './hydrate.ts';
import { MAX_PAGE } from './search.schemas.ts';
import { matchParts, toTsQuery, words } from './search.text.ts';
import type { SearchBackend, SearchQuery } from './search.types.ts';
import { vocabulary } from './search.vocabulary.ts';

const inList = (column: SQL, values: Array<string | number>) =>
  sql`${column} in (${sql.join(values.map((v) => sql`${v}`), sql`, `)})`;
/** A LIKE pattern matching `text` anywhere (its %, _ and backslash taken literally). */
const contains = (text: string) => `%${text.replace(/[\\%_]/g, '\\$&')}%`;
const and = (parts: SQL[]) => (parts.length ? sql.join(parts, sql` and `) : sql`true`);

/**
 * Matches counted by (group, badge stars, province): at most 6 × 6 × 34 cells, from which every
 * facet and the total follow exactly (`facetsOf`).
 */
export type Cube = Array<[group: string, stars: number | null, province: string, n: number]>;

/** Matches ranked with ts_rank (the best by the cheap name keys); beyond them, name keys order alone. */
export const RANKED = 500;

/** What one search asks of the database: one statement (cube + page ids), or the page alone when the cube is known. */
export interface SearchStatements {
  /** Returns one row { cube: Cube | null, ids: number[] }. */
  statement: SQL;
  /** Whether a text query is matched (the GIN index must drive it; see `runStatement`). */
  text: boolean;
  /** No query and no row filter: the cube is that of the whole index and may come from the short cache. */
  wholeIndex: boolean;
}

/**
 * Builds the search's single statement from the query. Exported so the bench EXPLAINs exactly what
 * the backend runs. `withCube = false` leaves the cube out (it is served from the cache).
 */
export function searchStatements(query: SearchQuery, today: string, vocab: ReadonlySet<string>, withCube = true): SearchStatements {
  // The OCOP badge (and so the stars one can filter on) holds while the certificate is in force.
  const badge = sql`(case when badge_until >= ${today}::date then cert_stars end)`;
  const tsq = toTsQuery(query.q, vocab);
  const q = sql`to_tsquery('simple', ${tsq ?? ''})`;
  // Each word group matches its own words anywhere (GIN on tsv, exact: no recheck, so the big
  // out-of-line tsv is never read) or a synonym in the A–C fields (GIN on the in-row tsv_head;
  // only phrase synonyms are rechecked, and against tsv_head first). Weight-restricted terms on tsv
  // itself would make PostgreSQL recheck, i.e. detoast, every candidate.
  const match = (matchParts(query.q, vocab) ?? []).map((part) => part.head
    ? sql`(tsv_head @@ to_tsquery('simple', ${part.head}) or tsv @@ to_tsquery('simple', ${part.own}))`
    : sql`tsv @@ to_tsquery('simple', ${part.own})`);
  // A query with no searchable word (only punctuation or emoji) matches nothing rather than everything.
  const base: SQL[] = query.q ? (match.length ? match : [sql`false`]) : [];
  if (query.subgroups.length) base.push(inList(sql`subgroup_code`, query.subgroups));
  if (query.producer) base.push(sql`producer_slug = ${query.producer}`);
  if (query.priceMin !== undefined) base.push(sql`price >= ${query.priceMin}`);
  if (query.priceMax !== undefined) base.push(sql`price <= ${query.priceMax}`);
  const fg = query.groups.length ? inList(sql`g`, query.groups) : sql`true`;
  const fs = query.stars.length ? inList(sql`s`, query.stars) : sql`true`;
  const fp = query.provinces.length ? inList(sql`p`, query.provinces) : sql`true`;

  const typed = query.q.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
  const foldedPhrase = words(query.q).join(' ');
  const relevanceByText = query.sort === 'relevance' && tsq !== null;
  // Ranking: the name keys (k1 accented phrase, k2 folded phrase) are computed for every match;
  // ts_rank (k3) only for the RANKED best by those keys, then featured, stars, id (a common word
  // matches most of the catalogue, and ts_rank on every match was half the statement's time).
  // Packed into integers so the top-N sorts compare two keys, not five: kn = k1·2 + k2 and
  // fs = featured·8 + stars (0 without a badge, so those come last).
  // LIKE '%…%' rather than position(): the same test, but position() counts characters up to the
  // match (UTF-8), which made the name keys of 85k matches cost ~25 ms instead of ~17.
  const nameKeys = relevanceByText
    ? sql`, (name_lower like ${contains(typed)})::int * 2 + (name_folded like ${contains(foldedPhrase)})::int as kn,
        featured::int * 8 + coalesce(${badge}, 0) as fs`
    : sql``;
  const cheap = sql`kn * 64 + fs desc, product_id`;
  const full = sql`kn desc, k3 desc, fs desc, product_id`;
  const order = {
    relevance: relevanceByText ? cheap : sql`featured desc, s desc nulls last, product_id`,
    price_asc: sql`price asc, product_id`,
    price_desc: sql`price desc, product_id`,
    stars: sql`s desc nulls last, price asc, product_id`,
    newest: sql`published_at desc nulls last, product_id desc`,
  }[query.sort];
  // The matches carry only the columns their order reads: a common word materialises ~85k rows.
  const sortKeys = {
    relevance: relevanceByText ? sql`` : sql`, featured`,
    price_asc: sql`, price`,
    price_desc: sql`, price`,
    stars: sql`, price`,
    newest: sql`, published_at`,
  }[query.sort];
  const offset = (Math.min(query.page, MAX_PAGE + 1) - 1) * query.limit;
  const wholeIndex = base.length === 0;
  const cube = withCube
    ? sql`(select coalesce(json_agg(json_build_array(g, s, p, n)), '[]'::json)
        from (select g, s, p, count(*)::int as n from m group by g, s, p) c)`
    : sql`null::json`;

  const filtered = sql`select * from m where ${and([fg, fs, fp])}`;
  const slice = (orderBy: SQL, limit: number, from: number, rows: SQL = filtered) => limit > 0
    ? sql`(select coalesce(jsonb_agg(product_id order by ${orderBy}), '[]'::jsonb) from (
        ${rows} order by ${orderBy} limit ${limit} offset ${from}) page)`
    : sql`'[]'::jsonb`;
  const end = offset + query.limit;
  // The final order is: the RANKED best by the name keys, ordered with ts_rank, then every other
  // match by the name keys alone (a total order, so pages never overlap or skip). Pages within the
  // first RANKED come from the ranked set, deeper ones straight from the name-key order.
  const ids = relevanceByText
    ? sql`${slice(full, Math.min(end, RANKED) - offset, offset, sql`
        select c.*, ts_rank(d.tsv_head, ${q}) as k3
        from (${filtered} order by ${cheap} limit ${RANKED}) c join search_documents d on d.product_id = c.product_id`)}
      || ${slice(cheap, end - Math.max(offset, RANKED), Math.max(offset, RANKED))}`
    : slice(order, query.limit, offset);

  // With a text query the matches are materialised once (one GIN scan, name keys computed once)
  // and both the cube and the page read them; without one, the planner pushes the filters into
  // each part (covering index, top-N sort) instead.
  const materialized = tsq !== null ? sql`materialized` : sql`not materialized`;
  return {
    text: tsq !== null,
    wholeIndex,
    statement: sql`
      with m as ${materialized} (
        select product_id, group_code as g, ${badge} as s, province_code as p ${sortKeys} ${nameKeys}
        from search_documents where ${and(base)})
      select ${cube} as cube, ${ids} as ids`,
  };
}

/** Facet counts and total from the cube: each dimension under the query and every OTHER active filter. */
export function facetsOf(cube: Cube, query: Pick<SearchQuery, 'groups' | 'stars' | 'provinces'>): { facets: Listing['facets']; total: number } {
  const inG = (g: string) => query.groups.length === 0 || query.groups.includes(g);
  const inS = (s: number | null) => query.stars.length === 0 || (s !== null && query.stars.includes(s));
  const inP = (p: string) => query.provinces.length === 0 || query.provinces.includes(p);
  const facets: Listing['facets'] = { group: {}, stars: {}, province: {} };
  const add = (into: Record<string, number>, key: string) => (n: number) => (into[key] = (into[key] ?? 0) + n);
  let total = 0;
  for (const [g, s, p, n] of cube) {
    const G = inG(g), S = inS(s), P = inP(p);
    if (S && P) add(facets.group, g)(n);
    if (G && P && s !== null) add(facets.stars, String(s))(n);
    if (G && S) add(facets.province, p)(n);
    if (G && S && P) total += n;
  }
  const sorted = (r: Record<string, number>) => Object.fromEntries(Object.entries(r).sort(([a], [b]) => a.localeCompare(b)));
  return { facets: { group: sorted(facets.group), stars: sorted(facets.stars), province: sorted(facets.province) }, total };
}

/**
 * The cube of the whole index (no query, no row filter: the most common listing) is the same for
 * everyone until the index changes, so each process keeps it for at most 1 s, and drops it at once
 * when it reindexes itself (another instance's changes show within that second).
 */
const CUBE_TTL_MS = 1_000;
const CACHE = Symbol.for('cho-ocop.search.whole-index-cube');
type CachedCube = { at: number; today: string; cube: Cube };
const cache = globalThis as { [CACHE]?: WeakMap<Db, CachedCube> };
const cubeCache = () => (cache[CACHE] ??= new WeakMap());

/** Called by the indexer whenever this process changes the index. */
export function invalidateCubeCache(): void {
  cache[CACHE] = new WeakMap();
}

type Row = { cube: Cube | null; ids: number[] };

/**
 * Runs the statement. A text query must be driven by the GIN index: the planner cannot see that a
 * sequential scan would detoast and test every tsvector, and picks it for common words (measured
 * 450 ms vs 15 ms at 100k products), so text searches run with seq scans disabled for that
 * statement only. JIT compilation never pays for a query this short, and the matches of a common
 * word (85k rows for "tra") must not spill to disk (work_mem for this statement only).
 */
async function runStatement(d: Db, st: SearchStatements): Promise<Row> {
  if (!st.text) {
    const [row] = (await d.execute(st.statement)) as unknown as [Row];
    return row;
  }
  return d.transaction(async (tx) => {
    await tx.execute(sql`select set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true), set_config('work_mem', '32MB', true)`);
    const [row] = (await tx.execute(st.statement)) as unknown as [Row];
    return row;
  });
}

/**
 * Search in PostgreSQL (embedded or server) over the search_documents index: folded full text
 * (GIN on the tsvector) with prefix, typo and synonym expansion (search.text.ts), ranked accented
 * exact match first, then the unaccented phrase in the name, then ts_rank over names, producer,
 * group and place (a match only in the story ranks after those) among the RANKED best by the name
 * keys, featured and stars. One statement per search: the
 * matches are found once (GIN), and both the page and the facet cube come from that one pass.
 * Facet counts are disjunctive (each dimension counted under the query and every other active
 * filter), derived exactly from the cube.
 */
export class PostgresSearchBackend implements SearchBackend {
  readonly name = 'postgres' as const;

  async search(query: SearchQuery): Promise<Listing> {
    const d = await db();
    const vocab = query.q ? await vocabulary(d) : new Set<string>();
    const today = todayInVietnam();
    const probe = searchStatements(query, today, vocab, false);
    let cached = probe.wholeIndex ? cubeCache().get(d) : undefined;
    if (cached && (cached.today !== today || Date.now() - cached.at > CUBE_TTL_MS)) cached = undefined;
    const row = await runStatement(d, cached ? probe : searchStatements(query, today, vocab));
    const cube = cached?.cube ?? row.cube ?? [];
    if (probe.wholeIndex && !cached) cubeCache().set(d, { at: Date.now(), today, cube });
    const { facets, total } = facetsOf(cube, query);
    const hits = await hydrate(d, row.ids.map(Number));
    return { hits, total, page: query.page, limit: query.limit, pages: Math.ceil(total / query.limit), facets };
  }
}
