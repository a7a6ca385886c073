import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../db/index.ts';
import { CURRENT_CERT_JOIN, SELLABLE } from '../catalog/index.ts';
import { compoundBatches } from './search.text.ts';

/**
 * All search SQL. The index table (search_documents) is derived from the catalogue and rebuilt
 * per product; nothing else writes it.
 */
/** An int[] parameter (ids are numbers: the text form is safe and works on every driver path). */
const intArray = (ids: number[]) => sql`${`{${ids.map((n) => Math.trunc(n)).join(',')}}`}::int[]`;

const folded = (...parts: SQL[]) => sql`f_fold(concat_ws(' ', ${sql.join(parts, sql`, `)}))`;
/**
 * Folded text with the compounds of compounds.json written as one token each ("0chebien"): one
 * regexp_replace per batch of four, whose unused capture groups are empty (search.text.ts joinCompounds).
 */
const COMPOUND_PATTERNS = compoundBatches.map((batch) => ({
  pattern: `\\m(?:${batch.map(([a, b]) => `(${a})\\s+(${b})`).join('|')})\\M`,
  replacement: `0${batch.map((_, i) => `\\${2 * i + 1}\\${2 * i + 2}`).join('')}`,
}));
const joined = (text: SQL) => COMPOUND_PATTERNS.reduce<SQL>((inner, c) => sql`regexp_replace(${inner}, ${c.pattern}, ${c.replacement}, 'g')`, text);
const weighted = (weight: 'A' | 'B' | 'C' | 'D', ...parts: SQL[]) =>
  sql`setweight(to_tsvector('simple', ${joined(folded(...parts))}), ${weight})`;

const HEAD = sql`(${weighted('A', sql`p.name_vi`, sql`p.name_en`)}
  || ${weighted('B', sql`pr.name`)}
  || ${weighted('C', sql`g.name_vi`, sql`g.name_en`, sql`sg.name_vi`, sql`sg.name_en`, sql`pv.name_vi`, sql`pv.name_en`, sql`pr.commune`, sql`pr.historical_address`)})`;

/** The document of every listable product among `ids` (all products when `ids` is null). */
function documentsSelect(ids: number[] | null): SQL {
  return sql`
    select p.id, p.producer_id, pr.slug, p.group_code, p.subgroup_code, pr.province_code, p.price, p.featured,
      p.published_at, cert.stars,
      case when cert.status = 'active' and cert.stars >= 3 then cert.valid_until::date end,
      lower(p.name_vi || ' | ' || p.name_en),
      ${folded(sql`p.name_vi`, sql`'|'`, sql`p.name_en`)},
      ${HEAD} || ${weighted('D', sql`p.description_vi`, sql`p.description_en`, sql`p.story_vi`, sql`p.story_en`)},
      ${HEAD},
      now()
    from products p
    join producers pr on pr.id = p.producer_id
    join product_groups g on g.code = p.group_code
    join product_subgroups sg on sg.code = p.subgroup_code
    join provinces pv on pv.code = pr.province_code
    ${CURRENT_CERT_JOIN}
    where ${SELLABLE}
      ${ids ? sql`and p.id = any(${intArray(ids)})` : sql``}
    order by p.group_code, p.subgroup_code, p.name_vi, p.id`;
}


/** A document's content, in documentsSelect's order (what a rewrite compares), then when it was indexed. */
const CONTENT = ['product_id', 'producer_id', 'producer_slug', 'group_code', 'subgroup_code', 'province_code', 'price', 'featured',
  'published_at', 'cert_stars', 'badge_until', 'name_lower', 'name_folded', 'tsv', 'tsv_head'];
const COLUMNS = sql.raw(`(${[...CONTENT, 'indexed_at'].join(', ')})`);
const row = (table: string) => sql.raw(`(${CONTENT.map((c) => `${table}.${c}`).join(', ')})`);

/**
 * Brings the index rows of `ids` in line with the catalogue: listable products are written when
 * their document differs from the row (a stock edit, which search does not read, writes nothing,
 * so the search index's generation — and every process's in-memory copy — stays), the others
 * (unpublished, suspended producer, revoked certificate, deleted) are removed.
 * Returns the ids that are listed now.
 */
export async function refreshDocuments(tx: DbOrTx, ids: number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = (await tx.execute(sql`
    with fresh ${COLUMNS} as (${documentsSelect(ids)}),
    gone as (
      delete from search_documents d where d.product_id = any(${intArray(ids)})
        and not exists (select 1 from fresh f where f.product_id = d.product_id)),
    written as (
      insert into search_documents ${COLUMNS} select * from fresh
      on conflict (product_id) do update set ${sql.raw([...CONTENT.slice(1), 'indexed_at'].map((c) => `${c} = excluded.${c}`).join(', '))}
      where ${row('search_documents')} is distinct from ${row('excluded')})
    select product_id from fresh`)) as unknown as Array<{ product_id: number }>;
  const listed = rows.map((r) => r.product_id);
  if (listed.length) await addTerms(tx, listed);
  return listed;
}

/**
 * Every product id, in the index's physical order: by group, sub-group and name. The full rebuild
 * writes the rows in this order, so the matches of a text query (which mostly share a sub-group:
 * "mật ong" is honey) sit on few heap pages; at 100k products this cuts the pages a common word
 * visits about threefold.
 */
export async function allProductIds(tx: DbOrTx): Promise<number[]> {
  const rows = (await tx.execute(sql`select id from products order by group_code, subgroup_code, name_vi, id`)) as unknown as Array<{ id: number }>;
  return rows.map((r) => r.id);
}

export async function productIdsOfProducers(tx: DbOrTx, producerIds: number[]): Promise<number[]> {
  if (producerIds.length === 0) return [];
  const rows = (await tx.execute(sql`select id from products where producer_id = any(${intArray(producerIds)})`)) as unknown as Array<{ id: number }>;
  return rows.map((r) => r.id);
}

/** Empties the index (inside the rebuild's transaction: readers keep the old rows until it commits). */
export async function clearDocuments(tx: DbOrTx): Promise<void> {
  await tx.execute(sql`delete from search_documents`);
  await tx.execute(sql`delete from search_terms`);
}

/**
 * After a full rebuild: fresh planner statistics, the visibility map set (index-only scans of the
 * covering index skip the heap) and the GIN index tidy. Outside any transaction.
 */
export async function vacuumDocuments(db: DbOrTx): Promise<void> {
  await db.execute(sql`vacuum (analyze) search_documents`);
  await db.execute(sql`analyze search_terms`);
}

export async function countDocuments(tx: DbOrTx): Promise<number> {
  const [row] = (await tx.execute(sql`select count(*)::int as n from search_documents`)) as unknown as [{ n: number }];
  return row.n;
}

async function addTerms(tx: DbOrTx, ids: number[]): Promise<void> {
  await tx.execute(sql`insert into search_terms (term)
    select distinct w from search_documents d, unnest(tsvector_to_array(d.tsv)) w
    where d.product_id = any(${intArray(ids)}) and w ~ '^[a-z0-9]{2,30}$'
    on conflict do nothing`);
}

export async function loadTerms(tx: DbOrTx): Promise<string[]> {
  const rows = (await tx.execute(sql`select term from search_terms`)) as unknown as Array<{ term: string }>;
  return rows.map((r) => r.term);
}

/** Documents as Meilisearch stores them, hydrated with the texts it searches. */
export async function meiliDocuments(tx: DbOrTx, ids: number[]): Promise<Array<Record<string, unknown>>> {
  if (ids.length === 0) return [];
  return (await tx.execute(sql`
    select d.product_id as id, p.slug, p.name_vi as name, p.name_en as "nameEn", f_fold(p.name_vi) as "nameFolded",
      pr.name as producer, f_fold(pr.name) as "producerFolded",
      concat_ws(' ', g.name_vi, sg.name_vi) as "groupVi", concat_ws(' ', g.name_en, sg.name_en) as "groupEn",
      f_fold(concat_ws(' ', g.name_vi, sg.name_vi)) as "groupFolded",
      concat_ws(' ', pv.name_vi, pr.commune, pr.historical_address) as "provinceVi", pv.name_en as "provinceEn",
      f_fold(concat_ws(' ', pv.name_vi, pr.commune, pr.historical_address)) as "provinceFolded",
      concat_ws(' ', p.description_vi, p.story_vi) as "storyVi", concat_ws(' ', p.description_en, p.story_en) as "storyEn",
      f_fold(concat_ws(' ', p.description_vi, p.story_vi)) as "storyFolded",
      d.group_code as "groupCode", d.subgroup_code as "subgroupCode", d.province_code as "provinceCode",
      d.producer_slug as "producerSlug", d.price, d.cert_stars as stars,
      coalesce(to_char(d.badge_until, 'YYYYMMDD')::int, 0) as "badgeUntil",
      (d.badge_until is not null) as certified,
      coalesce(extract(epoch from d.published_at)::bigint, 0)::float8 as "publishedAt", d.featured::int as featured
    from search_documents d
    join products p on p.id = d.product_id
    join producers pr on pr.id = d.producer_id
    join product_groups g on g.code = d.group_code
    join product_subgroups sg on sg.code = d.subgroup_code
    join provinces pv on pv.code = d.province_code
    where d.product_id = any(${intArray(ids)})`)) as unknown as Array<Record<string, unknown>>;
}

/** Ids of documents (re)written since `since` (the Meilisearch rebuild catches up with them). */
export async function documentsIndexedSince(tx: DbOrTx, since: Date): Promise<number[]> {
  const rows = (await tx.execute(sql`select product_id from search_documents where indexed_at >= ${since.toISOString()}`)) as unknown as Array<{ product_id: number }>;
  return rows.map((r) => r.product_id);
}

export async function listedProductIds(tx: DbOrTx): Promise<number[]> {
  const rows = (await tx.execute(sql`select product_id from search_documents`)) as unknown as Array<{ product_id: number }>;
  return rows.map((r) => r.product_id);
}
