import { beforeAll, describe, expect, it } from 'vitest';
import { PostgresSearchBackend, parseSearchParams, rebuildPostgresIndex, reindexProducts, type SearchQuery } from '../../src/lib/search/index.ts';
import { RANKED } from '../../src/lib/search/postgres.backend.ts';
import { growCatalogue } from '../../scripts/bench/search.ts';
import { SETTLE_MS } from '../../src/lib/db/generation.ts';
import { target, useTestDatabase } from '../support/db.ts';

/**
 * The PostgreSQL backend answers from its in-memory copy of the index (postgres.memory.ts) and,
 * when that does not fit, with one statement. Both must give the same page, total and facets for
 * every query: the copy re-implements the statement's filters, facet cube and orders (ties
 * included), so a grid of queries over a catalogue large enough for a common word to pass the
 * ts_rank pool (RANKED) compares them. It must also never be stale: the search index's own
 * generation (migration 0011) moves with every change to search_documents, whoever makes it.
 */
const database = useTestDatabase();
const PRODUCTS = 1_300;

const memory = new PostgresSearchBackend({ memoryMb: 64 });
const statement = new PostgresSearchBackend({ memoryMb: 0 });
const parse = (qs: string): SearchQuery => parseSearchParams(new URLSearchParams(qs));
const outcome = async (backend: PostgresSearchBackend, qs: string) => {
  const r = await backend.search(parse(qs));
  return { slugs: r.hits.map((h) => h.slug), total: r.total, pages: r.pages, facets: r.facets };
};
const generation = async () => {
  const [row] = await database.get().sql`select last_value::text as v, is_called from search_index_generation`;
  return `${row!.v}${row!.is_called ? '' : '-'}`;
};

beforeAll(async () => {
  const { sql, db } = database.get();
  await growCatalogue(sql, PRODUCTS);
  await rebuildPostgresIndex(db);
}, 300_000);

describe(`PostgreSQL search from memory (${target})`, () => {
  it('gives the same pages, totals and facets as the one-statement path over a grid of queries', async () => {
    const texts = ['', 'tra', 'chè', 'tea', 'nuoc mam', 'Nước mắm', 'nuoc mamm', 'mat o', 'gạo hữu cơ', 'cà phê', 'bánh', '!!!', "x' or 1=1 --"];
    const filters = ['', 'group=beverages,food', 'stars=4,5&province=ha-noi,thanh-hoa', 'priceMin=60000&priceMax=250000', 'subgroup=tea&producer=bench-producer-5'];
    const sorts = ['', 'sort=price_asc', 'sort=price_desc', 'sort=stars', 'sort=newest'];
    const pages = ['limit=7', 'limit=7&page=3', 'limit=100&page=5', 'limit=100&page=6'];
    let compared = 0;
    let crossedPool = 0;
    for (const q of texts) for (const f of filters) for (const s of sorts) for (const p of pages) {
      const qs = [q && `q=${encodeURIComponent(q)}`, f, s, p].filter(Boolean).join('&');
      const [a, b] = [await outcome(memory, qs), await outcome(statement, qs)];
      expect(a, qs).toEqual(b);
      compared++;
      if (p.includes('page=5') && a.total > RANKED) crossedPool++;
    }
    expect(compared).toBe(texts.length * filters.length * sorts.length * pages.length);
    // Pages 5 and 6 of 100 straddle the ts_rank pool of a common word: both parts of the order were compared.
    expect(crossedPool).toBeGreaterThan(0);
    const held = await memory.held();
    expect(held.products).toBeGreaterThan(RANKED);
    expect(held.matchSets).toBeGreaterThan(5);
  }, 600_000);

  it('sees a change to the index at once, whoever commits it, and holds the new index once it settles', async () => {
    const { sql } = database.get();
    const qs = 'q=tra&sort=price_desc&limit=3';
    const settled = async () => {
      // Within SETTLE_MS of a change the statement answers (what is read then may not be kept); after it, memory again.
      await new Promise((r) => setTimeout(r, SETTLE_MS + 100));
      const result = await outcome(memory, qs);
      expect((await memory.held()).products).toBeGreaterThan(RANKED);
      return result;
    };
    const before = await settled();
    expect(before.slugs).toHaveLength(3);
    // Another writer (psql, another instance) makes the cheapest match the dearest.
    const [cheapest] = await sql<Array<{ product_id: number; slug: string }>>`
      select d.product_id, p.slug from search_documents d join products p on p.id = d.product_id
      where d.tsv_head @@ to_tsquery('simple', 'tra:*') order by d.price, d.product_id limit 1`;
    await sql`update search_documents set price = 999000000 where product_id = ${cheapest!.product_id}`;
    for (const after of [await outcome(memory, qs), await settled()]) {
      expect(after.slugs[0]).toBe(cheapest!.slug);
      expect(after).toEqual(await outcome(statement, qs));
    }
    // And when it leaves the index.
    await sql`delete from search_documents where product_id = ${cheapest!.product_id}`;
    for (const gone of [await outcome(memory, qs), await settled()]) {
      expect(gone.slugs).not.toContain(cheapest!.slug);
      expect(gone.total).toBe(before.total - 1);
    }
  });

  it('moves the search generation once per transaction that changes the index, and not for stock', async () => {
    const { sql } = database.get();
    const g0 = await generation();
    await sql`update products set stock = stock + 1 where id in (select id from products limit 50)`;
    expect(await generation()).toBe(g0);
    await sql.begin(async (tx) => {
      await tx`update search_documents set featured = not featured where product_id in (select product_id from search_documents limit 40)`;
      await tx`update search_documents set featured = not featured where product_id in (select product_id from search_documents limit 40)`;
    });
    const g1 = await generation();
    expect(g1).not.toBe(g0);
    expect(Number(g1)).toBe(Number(g0.replace('-', '')) + (g0.endsWith('-') ? 0 : 1));
    await sql`truncate search_documents`;
    expect(await generation()).not.toBe(g1);
    expect((await memory.search(parse('q=tra'))).total).toBe(0);
    await new Promise((r) => setTimeout(r, SETTLE_MS + 100));
    expect((await memory.search(parse(''))).total).toBe(0);
    expect(await memory.held()).toMatchObject({ products: 0, matchSets: 0 });
  });

  it('rewrites an index row only when its document changed: a stock edit keeps every in-memory copy', async () => {
    const { sql, db } = database.get();
    await rebuildPostgresIndex(db);
    const [p] = await sql<Array<{ id: number; price: number }>>`select id, price from products where slug like 'bench-%' and status = 'published' order by id limit 1`;
    const g0 = await generation();
    await sql`update products set stock = stock + 5 where id = ${p!.id}`;
    expect((await reindexProducts(db, { productIds: [p!.id] })).listed).toEqual([p!.id]);
    expect(await generation()).toBe(g0);
    await sql`update products set price = ${p!.price + 1000} where id = ${p!.id}`;
    await reindexProducts(db, { productIds: [p!.id] });
    expect(await generation()).not.toBe(g0);
    const [doc] = await sql<Array<{ price: number }>>`select price from search_documents where product_id = ${p!.id}`;
    expect(doc!.price).toBe(p!.price + 1000);
    // Unpublished: the row goes.
    await sql`update products set status = 'draft' where id = ${p!.id}`;
    expect((await reindexProducts(db, { productIds: [p!.id] })).listed).toEqual([]);
    expect(await sql`select 1 from search_documents where product_id = ${p!.id}`).toHaveLength(0);
  });

  it('answers with one statement when the copy would not fit its memory', async () => {
    const { db } = database.get();
    await rebuildPostgresIndex(db);
    const tiny = new PostgresSearchBackend({ memoryMb: 0.01 });
    for (const qs of ['q=tra&limit=5', 'group=food&sort=price_asc', 'q=nuoc mam&stars=5']) {
      expect(await outcome(tiny, qs)).toEqual(await outcome(statement, qs));
    }
    expect(await tiny.held()).toEqual({ products: null, matchSets: 0, bytes: 0 });
  }, 120_000);
});
