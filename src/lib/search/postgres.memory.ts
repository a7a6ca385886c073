import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/index.ts';
import { searchIndexGeneration } from '../db/generation.ts';
import { MAX_PAGE } from './search.schemas.ts';
import type { SearchQuery } from './search.types.ts';

/**
 * The PostgreSQL backend's copy of the search index in memory, per process, under the search
 * index's change generation (migration 0011), so it is never stale: every search first reads the
 * generation (one small read shared by every search waiting at that moment) and a copy read under
 * another generation is dropped.
 *
 * - The **replica**: the filter and sort columns of every listed product (id, group, sub-group,
 *   province, price, featured, stars and badge end, publication time) in typed arrays, 36 bytes
 *   a product, read in one statement through the covering index.
 * - **Match sets**: for each query text, the products it matches (with their name keys), read once
 *   through the GIN indexes and kept while the index does not change (least recently used first
 *   out). The filters, the facet cube, every sort and every page are then computed here; only
 *   `ts_rank` of the best 500 (kept with the set) and the cards come from the database.
 *
 * Why: exact facet counts need every match's group, stars and province, which PostgreSQL reads
 * row by row — about 1 µs a match, 50–100 ms for a word matching most of a 100k catalogue, on
 * every search. Here a word is read once per index change, and every later search with it, under
 * any filter, sort or page, costs a pass over typed arrays. Same results as the one-statement path
 * (`searchStatements`), which serves where this copy does not (see `MemoryIndex.search`); a test
 * compares the two on every query of a grid.
 */

/** Matches ranked with ts_rank (the best by the cheap name keys); beyond them, name keys order alone. */
export const RANKED = 500;

/** What a search needs from the text query, as the SQL path computes it. */
export interface TextMatch {
  /** The query's match condition on search_documents (GIN-driven). */
  where: SQL;
  /** The name keys expression (k1 accented phrase · 2 + k2 folded phrase), 0–3. */
  nameKeys: SQL;
  /** The tsquery ranking reads (`ts_rank(tsv_head, …)`). */
  tsquery: string;
  /** Identifies the match set: the same key, the same matches and name keys. */
  key: string;
}

/**
 * Matches counted by (group, badge stars, province): at most 6 × 6 × 34 cells, from which every
 * facet and the total follow exactly (`facetsOf`).
 */
export type Cube = Array<[group: string, stars: number | null, province: string, n: number]>;

export interface Page {
  ids: number[];
  cube: Cube;
}

/**
 * Runs a statement that matches text. It must be driven by the GIN index: the planner cannot see
 * that a sequential scan would detoast and test every tsvector, and picks it for common words
 * (measured 450 ms vs 15 ms at 100k products), so seq scans are disabled for that statement only.
 * JIT compilation never pays for a query this short, and the matches of a common word (85k rows
 * for "tra") must not spill to disk (work_mem for this statement only).
 */
export function runTextStatement<T>(d: Db, statement: SQL): Promise<T[]> {
  return d.transaction(async (tx) => {
    await tx.execute(sql`select set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true), set_config('work_mem', '32MB', true)`);
    return (await tx.execute(statement)) as unknown as T[];
  });
}

/**
 * One listed product in the replica's statement: product id, price (int4), publication time
 * (float8 seconds, -Infinity when unpublished), badge end day + 1 (0: none) · 65536 + stars · 8192
 * + featured · 4096 (int8), and the group, sub-group and province codes by `hashtext` (int4 each;
 * turning codes into small numbers in SQL cost more than the rest of the statement).
 */
const RECORD = 36;
const NO_DAY = -2147483648;
/** Positions are packed below this in sort keys (the replica holds fewer products: `tooBig`). */
const SLOT = 2 ** 21;

/** The filter and sort columns of every listed product, by position = rank of the product id. */
interface Replica {
  generation: string;
  n: number;
  id: Int32Array;
  price: Float64Array;
  /** Publication time in seconds, -Infinity when unpublished (sorts last under "newest"). */
  published: Float64Array;
  badgeDay: Int32Array;
  certStars: Uint8Array;
  featured: Uint8Array;
  group: Uint8Array;
  subgroup: Uint8Array;
  province: Uint8Array;
  codes: { group: string[]; subgroup: string[]; province: string[] };
  /** product id → position, -1 when not listed. */
  position: Int32Array;
  /** Derived arrays, per Vietnamese day where the badge matters (stars, sort orders). */
  derived: Map<string, Int32Array | Uint8Array>;
  bytes: number;
}

interface MatchSet {
  generation: string;
  /** Positions in the replica, ascending (i.e. by product id). */
  pos: Int32Array;
  /** Name keys per match (same order as pos). */
  kn: Uint8Array;
  /** ts_rank of matches already ranked, by position. */
  rank: Map<number, number>;
  /** The match order by name keys, featured and stars, per day. */
  cheap?: { day: number; order: Int32Array };
  member?: Uint8Array;
  bytes: number;
}

interface State {
  replica?: Replica;
  /** A replica that did not fit, for this generation: the SQL path serves. */
  tooBig?: string;
  loadingReplica?: { generation: string; promise: Promise<Replica | null> };
  sets: Map<string, MatchSet>;
  setBytes: number;
  loadingSets: Map<string, Promise<MatchSet>>;
}

const dayNumber = (isoDate: string) => Math.floor(Date.parse(`${isoDate}T00:00:00Z`) / 86_400_000);

/** The replica, or null when it cannot be held (too many products, or two codes share a hash). */
async function loadReplica(d: Db, generation: string): Promise<Replica | null> {
  const codes = (table: string) => sql.raw(`(select coalesce(json_agg(json_build_array(code, hashtext(code)) order by code), '[]') from ${table})`);
  const [row] = (await d.transaction(async (tx) => {
    // Read through the covering index (search_documents_listing_idx), not the wide rows.
    await tx.execute(sql`select set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true)`);
    return tx.execute(sql`
      select ${codes('product_groups')} as groups, ${codes('product_subgroups')} as subgroups, ${codes('provinces')} as provinces,
        (select string_agg(
            int4send(product_id) || int4send(price)
            || float8send(coalesce(date_part('epoch', published_at), '-infinity'))
            || int8send(coalesce(badge_until - date '1970-01-01' + 1, 0)::int8 * 65536
                        + coalesce(cert_stars, 0) * 8192 + featured::int * 4096)
            || int4send(hashtext(group_code)) || int4send(hashtext(subgroup_code)) || int4send(hashtext(province_code)),
            ''::bytea)
          from search_documents) as docs`);
  })) as unknown as [{ groups: Array<[string, number]>; subgroups: Array<[string, number]>; provinces: Array<[string, number]>; docs: Buffer | null }];
  const buf = row.docs ?? Buffer.alloc(0);
  const n = buf.length / RECORD;
  const byHash = (list: Array<[string, number]>) => new Map(list.map(([, h], i) => [h, i]));
  const hashes = [byHash(row.groups), byHash(row.subgroups), byHash(row.provinces)];
  if (n >= SLOT || hashes.some((m, k) => m.size !== [row.groups, row.subgroups, row.provinces][k]!.length)) return null;
  // Positions follow the product id (the SQL path's final tie-break): rank the ids first.
  let maxId = 0;
  for (let o = 0; o < buf.length; o += RECORD) maxId = Math.max(maxId, buf.readInt32BE(o));
  const position = new Int32Array(maxId + 1).fill(-1);
  for (let o = 0; o < buf.length; o += RECORD) position[buf.readInt32BE(o)] = 0;
  for (let id = 0, k = 0; id <= maxId; id++) if (position[id] === 0) position[id] = k++;
  const r: Replica = {
    generation, n,
    id: new Int32Array(n), price: new Float64Array(n), published: new Float64Array(n), badgeDay: new Int32Array(n),
    certStars: new Uint8Array(n), featured: new Uint8Array(n), group: new Uint8Array(n), subgroup: new Uint8Array(n), province: new Uint8Array(n),
    codes: { group: row.groups.map(([c]) => c), subgroup: row.subgroups.map(([c]) => c), province: row.provinces.map(([c]) => c) },
    position,
    derived: new Map(),
    // 36 bytes of columns a product, and room for the derived stars and sort orders.
    bytes: n * 64 + position.byteLength,
  };
  const [groups, subgroups, provinces] = hashes as [Map<number, number>, Map<number, number>, Map<number, number>];
  for (let o = 0; o < buf.length; o += RECORD) {
    const id = buf.readInt32BE(o);
    const i = position[id]!;
    r.id[i] = id;
    r.price[i] = buf.readInt32BE(o + 4);
    r.published[i] = buf.readDoubleBE(o + 8);
    const packed = buf.readInt32BE(o + 16) * 2 ** 32 + buf.readUInt32BE(o + 20);
    const day1 = Math.floor(packed / 65536);
    r.badgeDay[i] = day1 === 0 ? NO_DAY : day1 - 1;
    r.certStars[i] = (packed % 65536) >> 13;
    r.featured[i] = ((packed % 65536) >> 12) & 1;
    r.group[i] = groups.get(buf.readInt32BE(o + 24))!;
    r.subgroup[i] = subgroups.get(buf.readInt32BE(o + 28))!;
    r.province[i] = provinces.get(buf.readInt32BE(o + 32))!;
  }
  return r;
}

/** The statement reading a match set: each match's product id and name keys, packed (6 bytes a match). Exported for the bench's EXPLAIN. */
export function matchSetStatement(text: TextMatch): SQL {
  return sql`select string_agg(int4send(product_id) || int2send((${text.nameKeys})::int2), ''::bytea) as m
    from search_documents where ${text.where}`;
}

/** The matches of a text query, with their name keys, through the GIN indexes (as the SQL path reads them). */
async function loadMatches(d: Db, r: Replica, text: TextMatch): Promise<MatchSet> {
  const [row] = await runTextStatement<{ m: Buffer | null }>(d, matchSetStatement(text));
  const buf = row?.m ?? Buffer.alloc(0);
  // Positions ascending without sorting: mark, then sweep the replica once.
  const keys = new Int8Array(r.n).fill(-1);
  for (let o = 0; o < buf.length; o += 6) {
    const id = buf.readInt32BE(o);
    const p = id < r.position.length ? r.position[id]! : -1;
    if (p >= 0) keys[p] = buf.readInt16BE(o + 4);
  }
  let count = 0;
  for (let p = 0; p < r.n; p++) if (keys[p]! >= 0) count++;
  const pos = new Int32Array(count);
  const kn = new Uint8Array(count);
  for (let p = 0, k = 0; p < r.n; p++) if (keys[p]! >= 0) { pos[k] = p; kn[k++] = keys[p]!; }
  return { generation: r.generation, pos, kn, rank: new Map(), bytes: count * 9 + r.n + 64 };
}

/** Badge stars per product on a Vietnamese day (0: no badge in force). */
function starsOn(r: Replica, day: number): Uint8Array {
  const key = `stars:${day}`;
  let s = r.derived.get(key) as Uint8Array | undefined;
  if (!s) {
    s = new Uint8Array(r.n);
    for (let i = 0; i < r.n; i++) s[i] = r.badgeDay[i]! >= day && r.badgeDay[i] !== NO_DAY ? r.certStars[i]! : 0;
    remember(r, key, s);
  }
  return s;
}

/** Keeps a derived array; those of past days go (a process may run for weeks under one generation). */
function remember<T extends Int32Array | Uint8Array>(r: Replica, key: string, value: T): T {
  if (r.derived.size >= 12) r.derived.clear();
  r.derived.set(key, value);
  return value;
}

/** Positions 0..n-1 ordered by a small integer key (descending), ties by product id: a counting sort. */
function byKeyDesc(n: number, keyOf: (i: number) => number, maxKey: number, positions?: Int32Array): Int32Array {
  const counts = new Int32Array(maxKey + 2);
  const at = (k: number) => (positions ? positions[k]! : k);
  for (let k = 0; k < n; k++) counts[maxKey - keyOf(k) + 1]!++;
  for (let b = 1; b < counts.length; b++) counts[b]! += counts[b - 1]!;
  const out = new Int32Array(n);
  for (let k = 0; k < n; k++) out[counts[maxKey - keyOf(k)]!++] = at(k);
  return out;
}

/**
 * Positions ordered by integer keys (< 2^31) ascending, ties by position (ascending, or descending
 * with `tiesDesc`): one native sort of numbers packing key and position.
 */
function orderBy(n: number, key: (i: number) => number, tiesDesc = false): Int32Array {
  const packed = new Float64Array(n);
  for (let i = 0; i < n; i++) packed[i] = key(i) * SLOT + (tiesDesc ? SLOT - 1 - i : i);
  packed.sort();
  const out = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const slot = packed[k]! % SLOT;
    out[k] = tiesDesc ? SLOT - 1 - slot : slot;
  }
  return out;
}

/** Dense ranks of values in ascending order (equal values, equal rank), for packing into sort keys. */
function denseRanks(values: Float64Array): Int32Array {
  const sorted = Float64Array.from(values).sort();
  let k = 0;
  for (let i = 0; i < sorted.length; i++) if (k === 0 || sorted[i] !== sorted[k - 1]) sorted[k++] = sorted[i]!;
  const distinct = sorted.subarray(0, k);
  const ranks = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    let lo = 0;
    let hi = distinct.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (distinct[mid]! < values[i]!) lo = mid + 1;
      else hi = mid;
    }
    ranks[i] = lo;
  }
  return ranks;
}

/** The whole index in one sort's order (as the SQL path's ORDER BY), per day where stars matter. */
function sortedAll(r: Replica, sort: SearchQuery['sort'], day: number): Int32Array {
  const key = sort === 'relevance' || sort === 'stars' ? `order:${sort}:${day}` : `order:${sort}`;
  let order = r.derived.get(key) as Int32Array | undefined;
  if (order) return order;
  const s = starsOn(r, day);
  const { price } = r;
  switch (sort) {
    // featured desc, stars desc nulls last, product id
    case 'relevance': order = byKeyDesc(r.n, (i) => r.featured[i]! * 8 + s[i]!, 13); break;
    // prices are int4: below 2^31
    case 'price_asc': order = orderBy(r.n, (i) => price[i]!); break;
    case 'price_desc': order = orderBy(r.n, (i) => 2 ** 31 - 1 - price[i]!); break;
    // stars desc nulls last, price asc, product id
    case 'stars': { const p = denseRanks(price); order = orderBy(r.n, (i) => (5 - s[i]!) * SLOT + p[i]!); break; }
    // published desc nulls last, product id desc
    case 'newest': { const t = denseRanks(r.published); order = orderBy(r.n, (i) => SLOT - t[i]!, true); break; }
  }
  return remember(r, key, order);
}

/** Applies the query's filters, counts the cube and picks the page from the replica (and the match set). */
export class MemoryIndex {
  private states = new WeakMap<Db, State>();

  private readonly budgetBytes: number;

  constructor(budgetBytes: number) {
    this.budgetBytes = budgetBytes;
    // Another generation: free the memory at once rather than at the next search.
    if (budgetBytes > 0) searchIndexGeneration.onChange(() => { this.states = new WeakMap(); });
  }

  /** What this process holds for a database: products in the replica (null: none), match sets, and their accounted size. */
  held(d: Db): { products: number | null; matchSets: number; bytes: number } {
    const s = this.states.get(d);
    return { products: s?.replica?.n ?? null, matchSets: s?.sets.size ?? 0, bytes: (s?.replica?.bytes ?? 0) + (s?.setBytes ?? 0) };
  }

  private stateOf(d: Db): State {
    let s = this.states.get(d);
    if (!s) this.states.set(d, (s = { sets: new Map(), setBytes: 0, loadingSets: new Map() }));
    return s;
  }

  /**
   * The page and cube of a search from memory, or null when the one-statement path must answer:
   * no room, the copy does not fit, a producer filter (a producer lists a few hundred products at
   * most, and the statement finds them by index), the database cannot be asked (the statement
   * then fails as it should), or the index changed less than SETTLE_MS ago — the generation moves
   * just before its commit is visible, so what is read then may not be kept, and reading the
   * whole copy for one answer costs more than the statement.
   */
  async search(d: Db, query: SearchQuery, today: string, text: TextMatch | null): Promise<Page | null> {
    if (this.budgetBytes <= 0 || query.producer !== undefined) return null;
    if (!(await searchIndexGeneration.refresh())) return null;
    const generation = searchIndexGeneration.current()!;
    const state = this.stateOf(d);
    if (state.tooBig === generation) return null;
    if (state.replica?.generation !== generation && !searchIndexGeneration.mayKeep(generation, Date.now())) return null;
    const r = await this.replica(d, state, generation);
    if (!r) return null;
    const m = text ? await this.matches(d, state, r, text) : null;
    return this.answer(d, r, m, query, dayNumber(today), text);
  }

  private async replica(d: Db, state: State, generation: string): Promise<Replica | null> {
    if (state.replica?.generation === generation) return state.replica;
    if (state.loadingReplica?.generation !== generation) {
      const startedAt = Date.now();
      const promise = loadReplica(d, generation).then((r) => (r && r.bytes <= this.budgetBytes / 2 ? r : null));
      state.loadingReplica = { generation, promise };
      void promise.then((r) => {
        if (state.loadingReplica?.promise === promise) state.loadingReplica = undefined;
        if (!r) state.tooBig = generation;
        else if (searchIndexGeneration.mayKeep(generation, startedAt)) {
          state.replica = r;
          state.sets.clear();
          state.setBytes = 0;
        }
      }, () => {
        if (state.loadingReplica?.promise === promise) state.loadingReplica = undefined;
      });
    }
    return state.loadingReplica!.promise;
  }

  private async matches(d: Db, state: State, r: Replica, text: TextMatch): Promise<MatchSet> {
    const held = state.sets.get(text.key);
    if (held?.generation === r.generation) {
      state.sets.delete(text.key);
      state.sets.set(text.key, held); // most recently used last
      return held;
    }
    const loadKey = `${r.generation}\u0000${text.key}`;
    let loading = state.loadingSets.get(loadKey);
    if (!loading) {
      const startedAt = Date.now();
      loading = loadMatches(d, r, text);
      state.loadingSets.set(loadKey, loading);
      void loading.then((m) => {
        state.loadingSets.delete(loadKey);
        // Keep it only if the replica it refers to is the one kept, under a settled generation.
        if (state.replica !== r || !searchIndexGeneration.mayKeep(r.generation, startedAt)) return;
        const limit = this.budgetBytes - r.bytes;
        if (m.bytes > limit / 4) return;
        const old = state.sets.get(text.key);
        if (old) state.setBytes -= old.bytes;
        state.sets.delete(text.key);
        state.sets.set(text.key, m);
        state.setBytes += m.bytes;
        for (const [k, v] of state.sets) {
          if (state.setBytes <= limit) break;
          state.sets.delete(k);
          state.setBytes -= v.bytes;
        }
      }, () => state.loadingSets.delete(loadKey));
    }
    return loading;
  }

  private async answer(d: Db, r: Replica, m: MatchSet | null, query: SearchQuery, day: number, text: TextMatch | null): Promise<Page> {
    const s = starsOn(r, day);
    const indexOf = (codes: string[], values: string[]) => new Set(values.map((v) => codes.indexOf(v)).filter((i) => i >= 0));
    // Row filters (the cube follows them): sub-group and price (a producer filter never gets here).
    const subgroups = query.subgroups.length ? indexOf(r.codes.subgroup, query.subgroups) : null;
    const min = query.priceMin ?? -Infinity;
    const max = query.priceMax ?? Infinity;
    const rowPass = (i: number) => (subgroups === null || subgroups.has(r.subgroup[i]!)) && r.price[i]! >= min && r.price[i]! <= max;
    // Facet filters (each facet is counted under the others: facetsOf, from the cube).
    const groups = query.groups.length ? indexOf(r.codes.group, query.groups) : null;
    const stars = query.stars.length ? new Set(query.stars) : null;
    const provinces = query.provinces.length ? indexOf(r.codes.province, query.provinces) : null;
    const facetPass = (i: number) => (groups === null || groups.has(r.group[i]!))
      && (stars === null || (s[i]! > 0 && stars.has(s[i]!))) && (provinces === null || provinces.has(r.province[i]!));

    // The cube: matches under the row filters, by (group, stars, province).
    const P = r.codes.province.length;
    const counts = new Map<number, number>();
    const count = (i: number) => {
      if (!rowPass(i)) return;
      const cell = (r.group[i]! * 6 + s[i]!) * P + r.province[i]!;
      counts.set(cell, (counts.get(cell) ?? 0) + 1);
    };
    if (m) for (let k = 0; k < m.pos.length; k++) count(m.pos[k]!);
    else for (let i = 0; i < r.n; i++) count(i);
    const cube: Cube = [];
    for (const [cell, n] of counts) {
      const p = cell % P;
      const gs = (cell - p) / P;
      const st = gs % 6;
      cube.push([r.codes.group[(gs - st) / 6]!, st === 0 ? null : st, r.codes.province[p]!, n]);
    }

    const offset = (Math.min(query.page, MAX_PAGE + 1) - 1) * query.limit;
    const end = offset + query.limit;
    const pass = (i: number) => rowPass(i) && facetPass(i);

    if (m && text && query.sort === 'relevance') {
      // The order of the SQL path: the RANKED best by name keys, featured and stars, ordered by
      // name keys, ts_rank, featured and stars; every other match by the cheap keys alone.
      const order = this.cheapOrder(m, r, s, day);
      const wanted = Math.max(end, RANKED);
      const filtered: number[] = []; // indexes into m
      for (let k = 0; k < order.length && filtered.length < wanted; k++) if (pass(m.pos[order[k]!]!)) filtered.push(order[k]!);
      const ids: number[] = [];
      if (offset < RANKED) {
        const pool = filtered.slice(0, RANKED);
        await this.rank(d, r, m, pool, text);
        const fs = (k: number) => r.featured[m.pos[k]!]! * 8 + s[m.pos[k]!]!;
        pool.sort((a, b) => m.kn[b]! - m.kn[a]! || m.rank.get(m.pos[b]!)! - m.rank.get(m.pos[a]!)! || fs(b) - fs(a) || m.pos[a]! - m.pos[b]!);
        for (const k of pool.slice(offset, Math.min(end, RANKED))) ids.push(r.id[m.pos[k]!]!);
      }
      for (const k of filtered.slice(Math.max(offset, RANKED), end)) ids.push(r.id[m.pos[k]!]!);
      return { ids, cube };
    }

    // Any other order: the whole index in that order, walked until the page is full.
    const order = sortedAll(r, query.sort, day);
    const member = m ? this.memberOf(m, r) : null;
    const ids: number[] = [];
    let seen = 0;
    for (let k = 0; k < order.length && ids.length < query.limit; k++) {
      const i = order[k]!;
      if ((member === null || member[i]) && pass(i) && seen++ >= offset) ids.push(r.id[i]!);
    }
    return { ids, cube };
  }

  /** Matches (indexes into m) by name keys, featured and stars descending, then product id. */
  private cheapOrder(m: MatchSet, r: Replica, s: Uint8Array, day: number): Int32Array {
    if (m.cheap?.day !== day) {
      const keyOf = (k: number) => m.kn[k]! * 64 + r.featured[m.pos[k]!]! * 8 + s[m.pos[k]!]!;
      m.cheap = { day, order: byKeyDesc(m.pos.length, keyOf, 3 * 64 + 13) };
    }
    return m.cheap.order;
  }

  private memberOf(m: MatchSet, r: Replica): Uint8Array {
    if (!m.member) {
      m.member = new Uint8Array(r.n);
      for (let k = 0; k < m.pos.length; k++) m.member[m.pos[k]!] = 1;
    }
    return m.member;
  }

  /** ts_rank over the A–C fields for the pool's matches not ranked yet (kept with the match set). */
  private async rank(d: Db, r: Replica, m: MatchSet, pool: number[], text: TextMatch): Promise<void> {
    const missing = pool.map((k) => m.pos[k]!).filter((p) => !m.rank.has(p));
    if (missing.length === 0) return;
    const ids = missing.map((p) => r.id[p]!);
    const rows = (await d.execute(sql`
      select product_id, ts_rank(tsv_head, to_tsquery('simple', ${text.tsquery}))::float8 as k3
      from search_documents where product_id = any(${`{${ids.join(',')}}`}::int[])`)) as unknown as Array<{ product_id: number; k3: number }>;
    for (const p of missing) m.rank.set(p, -1); // gone since (the generation has moved): last
    for (const row of rows) m.rank.set(r.position[row.product_id]!, Number(row.k3));
  }
}
