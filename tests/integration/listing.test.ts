import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { parseSearchParams, searchProducts } from '../../src/lib/search/index.ts';
import { target, useTestDatabase } from '../support/db.ts';

const database = useTestDatabase();
const search = (qs: string) => searchProducts(parseSearchParams(new URLSearchParams(qs)));

describe(`catalogue listing and facets (${target})`, () => {
  it('lists every visible product with paging', async () => {
    const all = await search('limit=100');
    const [{ n }] = (await database.get().db.execute(sql`
      select count(*)::int as n from products p join producers pr on pr.id = p.producer_id
      where p.status = 'published' and pr.status <> 'suspended'
        and not exists (select 1 from certificates c where c.product_id = p.id and c.status = 'revoked')`)) as unknown as [{ n: number }];
    expect(all.total).toBe(n);
    expect(all.hits).toHaveLength(n);
    const page1 = await search('limit=10&page=1');
    const page2 = await search('limit=10&page=2');
    expect(page1.pages).toBe(Math.ceil(n / 10));
    expect(page1.hits.map((h) => h.slug)).not.toEqual(expect.arrayContaining(page2.hits.map((h) => h.slug)));
    const beyond = await search('limit=10&page=9999');
    expect(beyond.hits).toEqual([]);
    expect(beyond.total).toBe(n);
  });

  it('never lists revoked products', async () => {
    const all = await search('limit=100');
    const revoked = (await database.get().db.execute(sql`select p.slug from products p join certificates c on c.product_id = p.id where c.status = 'revoked'`)) as unknown as Array<{ slug: string }>;
    expect(revoked.length).toBeGreaterThan(0);
    for (const r of revoked) expect(all.hits.map((h) => h.slug)).not.toContain(r.slug);
  });

  it('filters by group, stars and province, and combines them', async () => {
    const food = await search('group=food&limit=100');
    expect(food.hits.every((h) => h.group.code === 'food')).toBe(true);
    const five = await search('stars=5&limit=100');
    expect(five.total).toBeGreaterThan(0);
    expect(five.hits.every((h) => h.stars === 5)).toBe(true);
    const both = await search('stars=5&group=food&province=thai-nguyen&limit=100');
    expect(both.hits.every((h) => h.stars === 5 && h.group.code === 'food' && h.province.code === 'thai-nguyen')).toBe(true);
    expect(both.total).toBeGreaterThan(0);
  });

  it('counts facets under the other active filters, exactly', async () => {
    const res = await search('group=food&limit=100');
    // The stars facet counts what the current (food) results hold.
    const starsInResults: Record<string, number> = {};
    for (const h of res.hits) if (h.stars) starsInResults[String(h.stars)] = (starsInResults[String(h.stars)] ?? 0) + 1;
    expect(res.facets.stars).toEqual(starsInResults);
    // The group facet ignores the group filter, so other groups stay choosable, and adds up to the unfiltered total.
    const all = await search('limit=100');
    expect(Object.values(res.facets.group).reduce((a, b) => a + b, 0)).toBe(all.total);
    expect(res.facets.group.food).toBe(res.total);
    // Choosing a facet value gives exactly the count it showed.
    for (const [province, count] of Object.entries(res.facets.province)) {
      expect((await search(`group=food&province=${province}&limit=1`)).total).toBe(count);
    }
  });

  it('sorts by price, stars and newest', async () => {
    const asc = (await search('sort=price_asc&limit=100')).hits.map((h) => h.price);
    expect(asc).toEqual([...asc].sort((a, b) => a - b));
    const desc = (await search('sort=price_desc&limit=100')).hits.map((h) => h.price);
    expect(desc).toEqual([...desc].sort((a, b) => b - a));
    const stars = (await search('sort=stars&limit=100')).hits.map((h) => h.stars ?? 0);
    expect(stars).toEqual([...stars].sort((a, b) => b - a));
    expect((await search('sort=newest&limit=5')).hits).toHaveLength(5);
  });

  it('filters by price range', async () => {
    const res = await search('priceMin=100000&priceMax=200000&limit=100');
    expect(res.hits.every((h) => h.price >= 100000 && h.price <= 200000)).toBe(true);
  });

  it('survives hostile and malformed parameters', async () => {
    for (const qs of ["q=%27%3B+drop+table+products%3B--", `q=${'x'.repeat(5000)}`, 'q=%25%5F%5C', 'stars=abc&page=-3&limit=zz', 'group=food%00', 'q=😀🇻🇳']) {
      const res = await search(qs);
      expect(Array.isArray(res.hits)).toBe(true);
    }
  });
});
