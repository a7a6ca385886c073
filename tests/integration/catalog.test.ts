import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getCombo, getProducer, getProduct, homeSections, listCombos, productNeighbours } from '../../src/lib/catalog/index.ts';
import { target, useTestDatabase } from '../support/db.ts';

const database = useTestDatabase();

async function slugWhere(condition: ReturnType<typeof sql>): Promise<string> {
  const rows = (await database.get().db.execute(sql`
    select p.slug from products p join certificates c on c.product_id = p.id where ${condition} order by p.id limit 1`)) as unknown as Array<{ slug: string }>;
  return rows[0]!.slug;
}

describe(`catalogue (${target})`, () => {
  it('returns a product with its certificate, producer, lot and both languages', async () => {
    const p = await getProduct('mam-tom-le-gia');
    expect(p).not.toBeNull();
    expect(p!.name.vi).toBe('Mắm tôm Lê Gia');
    expect(p!.name.en).toBeTruthy();
    expect(p!.price).toBeGreaterThan(0);
    expect(Number.isInteger(p!.price)).toBe(true);
    expect(p!.certificate).toMatchObject({ stars: 5, status: 'valid', showsBadge: true });
    expect(p!.stars).toBe(5);
    expect(p!.currentLot?.code).toBeTruthy();
    expect(p!.producerDetail.historicalAddress).toBeTruthy();
  });

  it("a product page's two neighbour lists (one statement): more from its producer, then related products of its group from other producers", async () => {
    // The demo producers sell one product each: give one producer two more (copies under new slugs),
    // in a group other producers also sell in.
    const d = database.get().db;
    const [row] = (await d.execute(sql`
      select p.slug from products p
      where p.status = 'published' and p.kind = 'goods'
        and exists (select 1 from products o where o.group_code = p.group_code and o.producer_id <> p.producer_id and o.status = 'published')
      order by p.id limit 1`)) as unknown as Array<{ slug: string }>;
    const columns = ((await d.execute(sql`select column_name from information_schema.columns
      where table_schema = current_schema() and table_name = 'products' and column_name not in ('id', 'slug', 'gtin')`)) as unknown as Array<{ column_name: string }>)
      .map((c) => sql.identifier(c.column_name));
    for (const suffix of ['-neighbour-a', '-neighbour-b']) {
      await d.execute(sql`insert into products (slug, ${sql.join(columns, sql`, `)})
        select slug || ${suffix}, ${sql.join(columns, sql`, `)} from products where slug = ${row!.slug}`);
    }
    const product = (await getProduct(row!.slug))!;
    const { fromProducer, related } = await productNeighbours(product);
    expect(fromProducer.length).toBeGreaterThanOrEqual(1);
    expect(fromProducer.length).toBeLessThanOrEqual(4);
    for (const c of fromProducer) {
      expect(c.producer.slug).toBe(product.producer.slug);
      expect(c.slug).not.toBe(product.slug);
    }
    expect(related.length).toBeGreaterThanOrEqual(1);
    expect(related.length).toBeLessThanOrEqual(4);
    for (const c of related) {
      expect(c.group.code).toBe(product.group.code);
      expect(c.producer.slug).not.toBe(product.producer.slug);
    }
    // Same sub-group first, then by stars.
    const sameSub = related.map((c) => c.subgroup.code === product.subgroup.code);
    expect(sameSub).toEqual([...sameSub].sort((a, b) => Number(b) - Number(a)));
    // Each list is what its own query alone returns (the union keeps each list's order and limit).
    const ids = (rows: Array<{ slug: string }>) => rows.map((r) => r.slug);
    const own = (await database.get().db.execute(sql`select p.slug from products p join producers pr on pr.id = p.producer_id
      where pr.slug = ${product.producer.slug} and p.slug <> ${product.slug} and p.status = 'published' and p.approval = 'approved' order by p.featured desc, p.id`)) as unknown as Array<{ slug: string }>;
    expect(ids(fromProducer)).toEqual(ids(own).filter((s) => fromProducer.some((c) => c.slug === s)));
    expect(ids(fromProducer)[0]).toBe(ids(own).find((s) => fromProducer.some((c) => c.slug === s)));
  });

  it('shows expiring, expired and revoked certificates truthfully', async () => {
    const expiring = await getProduct(await slugWhere(sql`c.status = 'active' and c.valid_until between current_date and current_date + 25`));
    expect(expiring!.certificate).toMatchObject({ status: 'expiring', showsBadge: true });
    const expired = await getProduct(await slugWhere(sql`c.status = 'active' and c.valid_until < current_date - 2 and not exists (select 1 from certificates n where n.supersedes_id = c.id)`));
    expect(expired!.certificate).toMatchObject({ status: 'expired', showsBadge: false });
    expect(expired!.stars).toBeNull();
    const revoked = await getProduct(await slugWhere(sql`c.status = 'revoked'`));
    expect(revoked!.certificate).toMatchObject({ status: 'revoked', showsBadge: false });
    expect(revoked!.certificate!.revocationReason).toBeTruthy();
    expect(revoked!.stars).toBeNull();
  });

  it('returns null for unknown slugs, hostile input and drafts; a suspended producer\'s product says it cannot be sold', async () => {
    expect(await getProduct('no-such-product')).toBeNull();
    expect(await getProduct("x' or '1'='1")).toBeNull();
    expect(await getProduct('')).toBeNull();
    const { db } = database.get();
    await db.execute(sql`update products set status = 'draft' where slug = 'nem-huan-hong'`);
    expect(await getProduct('nem-huan-hong')).toBeNull();
    await db.execute(sql`update products set status = 'published' where slug = 'nem-huan-hong'`);
    const p = await getProduct('nem-huan-hong');
    expect(p).not.toBeNull();
    expect(p!.sale).toEqual({ sellable: true, block: null });
    await db.execute(sql`update producers set status = 'suspended' where slug = ${p!.producer.slug}`);
    // The page stays (a shopper holding the product learns why), but nothing can be bought.
    expect(await getProduct('nem-huan-hong')).toMatchObject({ sale: { sellable: false, block: 'producer_suspended' }, available: 0 });
    expect(await getProducer(p!.producer.slug)).toBeNull();
    await db.execute(sql`update producers set status = 'verified' where slug = ${p!.producer.slug}`);
  });

  it('returns a producer with its story and products', async () => {
    const p = await getProduct('mam-tom-le-gia');
    const producer = await getProducer(p!.producer.slug);
    expect(producer!.products.map((x) => x.slug)).toContain('mam-tom-le-gia');
    expect(producer!.story.vi).toBeTruthy();
    expect(producer!.story.en).toBeTruthy();
  });

  it('lists combos with availability limited by the scarcest component', async () => {
    const combos = await listCombos();
    expect(combos.length).toBeGreaterThanOrEqual(6);
    for (const c of combos) {
      expect(c.producerCount).toBeGreaterThanOrEqual(2);
      expect(c.price).toBeLessThan(c.componentsPrice);
      const limit = Math.min(...c.items.map((i) => Math.floor((i.product.available ?? Infinity) / i.qty)));
      expect(c.available).toBe(limit);
    }
    const one = combos[0]!;
    const { db } = database.get();
    await db.execute(sql`update products set stock = 0 where slug = ${one.items[0]!.product.slug}`);
    expect((await getCombo(one.slug))!.available).toBe(0);
    expect(await getCombo('no-such-combo')).toBeNull();
  });

  it('builds the home page sections', async () => {
    const home = await homeSections();
    expect(home.featured.length).toBeGreaterThan(0);
    expect(home.groups).toHaveLength(6);
    expect(home.provinces.length).toBeGreaterThan(10);
    expect(home.combos.length).toBeGreaterThanOrEqual(6);
  });
});
