import { sql, type SQL } from 'drizzle-orm';
import { db, type Db } from '../db/index.ts';
import { todayInVietnam, type Listing } from '../catalog/index.ts';
import { hydrate } from './hydrate.ts';
import { MAX_PAGE } from './search.schemas.ts';
import { matchParts, toTsQuery, words } from './search.text.ts';
import type { SearchBackend, SearchQuery } from './search.types.ts';
import { vocabulary } from './search.vocabulary.ts';
import { MemoryIndex, RANKED, runTextStatement, type Cube, type TextMatch } from './postgres.memory.ts';
import { config } from '../config/index.ts';

export { RANKED, type Cube };

const inList = (column: SQL, values: Array<string | number>) =>
  sql`${column} in (${sql.join(values.map((v) => sql`${v}`), sql`, `)})`;
/** A LIKE pattern matching `text` anywhere (its %, _ and backslash taken literally). */
const contains = (text: string) => `%${text.replace(/[\\%_]/g, '\\$&')}%`;
const and = (parts: SQL[]) => (parts.length ? sql.join(parts, sql` and `) : sql`true`);

/** What one search asks of the database: one statement, the facet cube and the page's ids. */
export interface SearchStatements {
  /** Returns one row { cube: Cube, ids: number[] }. */
  statement: SQL;
  /** Whether a text query is matched (the GIN index must drive it; see `runStatement`). */
  text: boolean;
}

/**
 * What the text query asks of search_documents: the match condition, the name keys and the
 * tsquery ranking reads; null without a query. A query with no searchable word (only punctuation
 * or emoji) matches nothing rather than everything (`where` is false).
 */
export function textMatch(query: Pick<SearchQuery, 'q'>, vocab: ReadonlySet<string>): TextMatch | null {
  if (!query.q) return null;
  const found = matchParts(query.q, vocab);
  const tsquery = toTsQuery(query.q, vocab, found) ?? '';
  const parts = found ?? [];
  // Each word group matches its own words anywhere (GIN on tsv, exact: no recheck, so the big
  // out-of-line tsv is never read) or a synonym in the A–C fields (GIN on the in-row tsv_head;
  // only phrase synonyms are rechecked, and against tsv_head first). Weight-restricted terms on tsv
  // itself would make PostgreSQL recheck, i.e. detoast, every candidate.
  const match = parts.map((part) => part.head
    ? sql`(tsv_head @@ to_tsquery('simple', ${part.head}) or tsv @@ to_tsquery('simple', ${part.own}))`
    : sql`tsv @@ to_tsquery('simple', ${part.own})`);
  const typed = query.q.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
  const foldedPhrase = words(query.q).join(' ');
  // The name keys: k1 the accented phrase as typed in the name, k2 the unaccented phrase, packed
  // as k1·2 + k2. LIKE '%…%' rather than position(): the same test, but position() counts
  // characters up to the match (UTF-8), which made the keys of 85k matches cost ~25 ms instead of ~17.
  const nameKeys = sql`(name_lower like ${contains(typed)})::int * 2 + (name_folded like ${contains(foldedPhrase)})::int`;
  return {
    where: match.length && tsquery ? and(match) : sql`false`,
    nameKeys,
    tsquery,
    key: JSON.stringify([parts, typed, foldedPhrase]),
  };
}

/**
 * Builds the search's single statement from the query. Exported so the bench EXPLAINs exactly what
 * the backend runs. `text`: the query's textMatch, when the caller has it already.
 */
export function searchStatements(query: SearchQuery, today: string, vocab: ReadonlySet<string>, text = textMatch(query, vocab)): SearchStatements {
  // The OCOP badge (and so the stars one can filter on) holds while the certificate is in force.
  const badge = sql`(case when badge_until >= ${today}::date then cert_stars end)`;
  const tsq = text?.tsquery || null;
  const q = sql`to_tsquery('simple', ${tsq ?? ''})`;
  const base: SQL[] = text ? [text.where] : [];
  if (query.subgroups.length) base.push(inList(sql`subgroup_code`, query.subgroups));
  if (query.producer) base.push(sql`producer_slug = ${query.producer}`);
  if (query.priceMin !== undefined) base.push(sql`price >= ${query.priceMin}`);
  if (query.priceMax !== undefined) base.push(sql`price <= ${query.priceMax}`);
  const fg = query.groups.length ? inList(sql`g`, query.groups) : sql`true`;
  const fs = query.stars.length ? inList(sql`s`, query.stars) : sql`true`;
  const fp = query.provinces.length ? inList(sql`p`, query.provinces) : sql`true`;

  const relevanceByText = query.sort === 'relevance' && tsq !== null;
  // Ranking: the name keys (kn) are computed for every match; ts_rank (k3) only for the RANKED best
  // by those keys, then featured, stars, id (a common word matches most of the catalogue, and
  // ts_rank on every match was half the statement's time). Packed into integers so the top-N sorts
  // compare two keys, not five: kn and fs = featured·8 + stars (0 without a badge, so those come last).
  const nameKeys = relevanceByText
    ? sql`, ${text!.nameKeys} as kn, featured::int * 8 + coalesce(${badge}, 0) as fs`
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
  const cube = sql`(select coalesce(json_agg(json_build_array(g, s, p, n)), '[]'::json)
    from (select g, s, p, count(*)::int as n from m group by g, s, p) c)`;

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

type Row = { cube: Cube; ids: number[] };

/** Runs the statement; text searches as runTextStatement says. */
async function runStatement(d: Db, st: SearchStatements): Promise<Row> {
  const [row] = st.text ? await runTextStatement<Row>(d, st.statement) : (await d.execute(st.statement)) as unknown as [Row];
  return row!;
}

/**
 * Search in PostgreSQL (embedded or server) over the search_documents index: folded full text
 * (GIN on the tsvector) with prefix, typo and synonym expansion (search.text.ts), ranked accented
 * exact match first, then the unaccented phrase in the name, then ts_rank over names, producer,
 * group and place (a match only in the story ranks after those) among the RANKED best by the name
 * keys, featured and stars. Searches are answered from the process's copy of the index
 * (postgres.memory.ts: each query text's matches read once per index change) or, when it does not
 * fit, by one statement: the matches are found once (GIN), and both the page and the facet cube
 * come from that one pass. Facet counts are disjunctive (each dimension counted under the query
 * and every other active filter), derived exactly from the cube.
 */
export class PostgresSearchBackend implements SearchBackend {
  readonly name = 'postgres' as const;
  private readonly memory: MemoryIndex;

  /** `memoryMb`: room for the in-memory copy of the index (postgres.memory.ts); 0 answers every search with one statement. */
  constructor(options: { memoryMb?: number } = {}) {
    this.memory = new MemoryIndex((options.memoryMb ?? config().SEARCH_CACHE_MB) * 1024 * 1024);
  }

  /** What the in-memory copy holds for the current database (tests, diagnostics). */
  async held(): Promise<{ products: number | null; matchSets: number; bytes: number }> {
    return this.memory.held(await db());
  }

  async search(query: SearchQuery): Promise<Listing> {
    const d = await db();
    const vocab = query.q ? await vocabulary(d) : new Set<string>();
    const today = todayInVietnam();
    const text = textMatch(query, vocab);
    const { ids, cube } = await this.memory.search(d, query, today, text)
      ?? await runStatement(d, searchStatements(query, today, vocab, text));
    const { facets, total } = facetsOf(cube, query);
    const hits = await hydrate(d, ids.map(Number));
    return { hits, total, page: query.page, limit: query.limit, pages: Math.ceil(total / query.limit), facets };
  }
}
