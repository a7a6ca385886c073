import { sql, type SQL } from 'drizzle-orm';
import { db } from '../db/index.ts';
import { todayInVietnam, type Listing } from '../catalog/index.ts';
import { hydrate } from './hydrate.ts';
import { MAX_PAGE } from './search.schemas.ts';
import { toTsQuery, words } from './search.text.ts';
import type { SearchBackend, SearchQuery } from './search.types.ts';
import { vocabulary } from './search.vocabulary.ts';

const inList = (column: SQL, values: Array<string | number>) =>
  sql`${column} in (${sql.join(values.map((v) => sql`${v}`), sql`, `)})`;
const and = (parts: SQL[]) => (parts.length ? sql.join(parts, sql` and `) : sql`true`);

type FacetRow = { dim: 'group' | 'stars' | 'province' | 'total'; key: string | null; n: number };

/**
 * Search in PostgreSQL (embedded or server) over the search_documents index: folded full text
 * (GIN on the tsvector) with prefix, typo and synonym expansion (search.text.ts), ranked accented
 * exact match first, then the unaccented phrase in the name, then ts_rank over names, producer,
 * group and place (a match only in the story ranks after those). Facet counts are disjunctive (each dimension counted under the query and
 * every other active filter) and come from one pass over the matches (GROUPING SETS).
 */
export class PostgresSearchBackend implements SearchBackend {
  readonly name = 'postgres' as const;

  async search(query: SearchQuery): Promise<Listing> {
    const d = await db();
    const today = todayInVietnam();
    // The OCOP badge (and so the stars one can filter on) holds while the certificate is in force.
    const badge = sql`(case when badge_until >= ${today}::date then cert_stars end)`;
    const tsq = toTsQuery(query.q, query.q ? await vocabulary(d) : new Set());
    const q = sql`to_tsquery('simple', ${tsq ?? ''})`;
    // A query with no searchable word (only punctuation or emoji) matches nothing rather than everything.
    const base: SQL[] = query.q ? [tsq ? sql`tsv @@ ${q}` : sql`false`] : [];
    if (query.subgroups.length) base.push(inList(sql`subgroup_code`, query.subgroups));
    if (query.producer) base.push(sql`producer_slug = ${query.producer}`);
    if (query.priceMin !== undefined) base.push(sql`price >= ${query.priceMin}`);
    if (query.priceMax !== undefined) base.push(sql`price <= ${query.priceMax}`);
    const fg = query.groups.length ? inList(sql`group_code`, query.groups) : sql`true`;
    const fs = query.stars.length ? inList(badge, query.stars) : sql`true`;
    const fp = query.provinces.length ? inList(sql`province_code`, query.provinces) : sql`true`;

    const typed = query.q.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
    const foldedPhrase = words(query.q).join(' ');
    const order = {
      relevance: tsq
        ? sql`(position(${typed} in name_lower) > 0) desc, (position(${foldedPhrase} in name_folded) > 0) desc,
            ts_rank(tsv_head, ${q}) desc, featured desc, ${badge} desc nulls last, product_id`
        : sql`featured desc, ${badge} desc nulls last, product_id`,
      price_asc: sql`price asc, product_id`,
      price_desc: sql`price desc, product_id`,
      stars: sql`${badge} desc nulls last, price asc, product_id`,
      newest: sql`published_at desc nulls last, product_id desc`,
    }[query.sort];
    const offset = (Math.min(query.page, MAX_PAGE + 1) - 1) * query.limit;

    const [ids, facetRows] = await Promise.all([
      d.execute(sql`select product_id from search_documents where ${and([...base, fg, fs, fp])}
        order by ${order} limit ${query.limit} offset ${offset}`) as unknown as Promise<Array<{ product_id: number }>>,
      d.execute(sql`
        with m as (
          select group_code as g, ${badge} as s, province_code as p, ${fg} as fg, ${fs} as fs, ${fp} as fp
          from search_documents where ${and(base)})
        select case when grouping(g) = 0 then 'group' when grouping(s) = 0 then 'stars' when grouping(p) = 0 then 'province' else 'total' end as dim,
          coalesce(g, s::text, p) as key,
          case when grouping(g) = 0 then count(*) filter (where fs and fp)
               when grouping(s) = 0 then count(*) filter (where fg and fp)
               when grouping(p) = 0 then count(*) filter (where fg and fs)
               else count(*) filter (where fg and fs and fp) end::int as n
        from m group by grouping sets ((g), (s), (p), ())`) as unknown as Promise<FacetRow[]>,
    ]);
    const facets: Listing['facets'] = { group: {}, stars: {}, province: {} };
    let total = 0;
    for (const r of facetRows.sort((a, b) => String(a.key).localeCompare(String(b.key)))) {
      if (r.dim === 'total') total = r.n;
      else if (r.key !== null && r.n > 0) facets[r.dim][r.key] = r.n;
    }
    const hits = await hydrate(d, ids.map((r) => Number(r.product_id)));
    return { hits, total, page: query.page, limit: query.limit, pages: Math.ceil(total / query.limit), facets };
  }
}
