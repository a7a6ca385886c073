import { sql, type SQL } from 'drizzle-orm';
import { db } from '../db/index.ts';
import { CURRENT_CERT_JOIN, VISIBLE, todayInVietnam, toCard, type Listing, type ProductRow } from '../catalog/index.ts';
import { MAX_PAGE } from './search.schemas.ts';
import type { SearchBackend, SearchQuery } from './search.types.ts';

type Dimension = 'group' | 'stars' | 'province';

const inList = (column: SQL, values: Array<string | number>) =>
  sql`${column} in (${sql.join(values.map((v) => sql`${v}`), sql`, `)})`;

/**
 * Catalogue listing and facets in PostgreSQL (embedded or server). Facet counts are disjunctive:
 * each dimension is counted under every other active filter and the query, so the numbers beside
 * a filter say what choosing it would give.
 */
export class PostgresSearchBackend implements SearchBackend {
  readonly name = 'postgres' as const;

  async search(query: SearchQuery): Promise<Listing> {
    const d = await db();
    const today = todayInVietnam();
    // Stars that may be shown: a certificate in force (not revoked, not past its date).
    const badgeStars = sql`(case when cert.status = 'active' and cert.valid_until >= ${today} then cert.stars end)`;
    const from = sql`from products p join producers pr on pr.id = p.producer_id ${CURRENT_CERT_JOIN}`;
    // Revoked products are withdrawn from the storefront's lists (they cannot be sold as OCOP).
    const base: SQL[] = [VISIBLE, sql`coalesce(cert.status, '') <> 'revoked'`];
    if (query.subgroups.length) base.push(inList(sql`p.subgroup_code`, query.subgroups));
    if (query.producer) base.push(sql`pr.slug = ${query.producer}`);
    if (query.priceMin !== undefined) base.push(sql`p.price >= ${query.priceMin}`);
    if (query.priceMax !== undefined) base.push(sql`p.price <= ${query.priceMax}`);
    if (query.q) {
      // Plain accent-insensitive containment until the search issue brings ranking and typos.
      const words = query.q.split(/\s+/).filter(Boolean).slice(0, 12);
      for (const w of words) {
        const pattern = `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        base.push(sql`(f_fold(p.name_vi) like f_fold(${pattern}) or f_fold(p.name_en) like f_fold(${pattern}) or f_fold(pr.name) like f_fold(${pattern}))`);
      }
    }
    const dims: Record<Dimension, SQL | null> = {
      group: query.groups.length ? inList(sql`p.group_code`, query.groups) : null,
      stars: query.stars.length ? inList(badgeStars, query.stars) : null,
      province: query.provinces.length ? inList(sql`pr.province_code`, query.provinces) : null,
    };
    const where = (except?: Dimension) =>
      sql.join([...base, ...Object.entries(dims).flatMap(([k, v]) => (v && k !== except ? [v] : []))], sql` and `);

    const order = {
      relevance: sql`p.featured desc, ${badgeStars} desc nulls last, p.id`,
      price_asc: sql`p.price asc, p.id`,
      price_desc: sql`p.price desc, p.id`,
      stars: sql`${badgeStars} desc nulls last, p.price asc, p.id`,
      newest: sql`p.published_at desc nulls last, p.id desc`,
    }[query.sort];
    const offset = (Math.min(query.page, MAX_PAGE + 1) - 1) * query.limit;

    const facet = (dim: Dimension, expr: SQL) =>
      d.execute(sql`select ${expr} as key, count(*)::int as n ${from} where ${where(dim)} and ${expr} is not null group by 1`) as unknown as Promise<Array<{ key: string | number; n: number }>>;

    const [rows, totalRows, groupF, starsF, provinceF] = await Promise.all([
      d.execute(sql`select p.id, p.slug, p.name_vi, p.name_en, p.price, p.unit_vi, p.unit_en, p.images,
          p.group_code, p.subgroup_code, p.kind, p.stock, pr.slug as producer_slug, pr.name as producer_name,
          pr.province_code, cert.stars as cert_stars, cert.status as cert_status, cert.valid_until as cert_valid_until
        ${from} where ${where()} order by ${order} limit ${query.limit} offset ${offset}`) as unknown as Promise<ProductRow[]>,
      d.execute(sql`select count(*)::int as n ${from} where ${where()}`) as unknown as Promise<Array<{ n: number }>>,
      facet('group', sql`p.group_code`),
      facet('stars', badgeStars),
      facet('province', sql`pr.province_code`),
    ]);
    const total = totalRows[0]?.n ?? 0;
    const toRecord = (rs: Array<{ key: string | number; n: number }>) =>
      Object.fromEntries(rs.map((r) => [String(r.key), r.n]).sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
    return {
      hits: rows.map(toCard),
      total,
      page: query.page,
      limit: query.limit,
      pages: Math.ceil(total / query.limit),
      facets: { group: toRecord(groupF), stars: toRecord(starsF), province: toRecord(provinceF) },
    };
  }
}
