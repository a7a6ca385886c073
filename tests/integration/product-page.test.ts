import { describe, expect, it } from 'vitest';
import { productPage, productPageStats } from '../../src/lib/storefront/index.ts';
import { SETTLE_MS } from '../../src/lib/db/generation.ts';
import { target, useTestDatabase } from '../support/db.ts';

const database = useTestDatabase();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The product page's data kept between renderings (lib/storefront/product-page, issue 18): used
 * while nothing but stock has changed, with every stock figure read at the rendering, and read
 * afresh after any other committed change.
 */
describe(`product page data kept between renderings (${target})`, () => {
  /** A goods product whose page shows related products of other producers. */
  async function productWithNeighbours(): Promise<{ slug: string; neighbour: string }> {
    for (const { slug } of await database.get().sql<Array<{ slug: string }>>`
      select slug from products where status = 'published' and approval = 'approved' and kind = 'goods' order by id`) {
      const page = await productPage(slug);
      const neighbour = page?.neighbours.related.find((c) => c.kind !== 'experience');
      if (page && page.product.sale.block === null && neighbour) return { slug, neighbour: neighbour.slug };
    }
    throw new Error('no product with neighbours in the demo data');
  }

  /** Reads the page after the settling instant, so what it read is kept. */
  async function settled(slug: string) {
    await sleep(SETTLE_MS + 100);
    return productPage(slug);
  }

  it('uses kept data while only stock moves, showing the stock of the product and of its cards as committed', async () => {
    const { sql } = database.get();
    const { slug, neighbour } = await productWithNeighbours();
    const saved = await sql<Array<{ slug: string; stock: number }>>`select slug, stock from products where slug in (${slug}, ${neighbour})`;
    try {
      await sql`update products set stock = 50 where slug in (${slug}, ${neighbour})`;
      await settled(slug);
      const before = productPageStats();
      const kept = await productPage(slug);
      expect(productPageStats().kept).toBe(before.kept + 1);
      expect(kept!.product.available).toBe(50);

      // An order elsewhere moves both figures: the next rendering still uses the kept data, with today's stock.
      await sql`update products set stock = 3 where slug = ${slug}`;
      await sql`update products set stock = 0 where slug = ${neighbour}`;
      const moved = await productPage(slug);
      expect(productPageStats().kept).toBe(before.kept + 2);
      expect(productPageStats().read).toBe(before.read);
      expect(moved!.product.available).toBe(3);
      expect(moved!.neighbours.related.find((c) => c.slug === neighbour)!.available).toBe(0);
      // The kept copy itself was not changed by a rendering.
      expect((await productPage(slug))!.product.available).toBe(3);
    } finally {
      for (const r of saved) await sql`update products set stock = ${r.stock} where slug = ${r.slug}`;
    }
  });

  it('reads afresh after any other committed change: story, price, a recalled lot, unpublishing', async () => {
    const { sql } = database.get();
    const { slug } = await productWithNeighbours();
    const [original] = await sql<Array<{ story_vi: string; price: number }>>`select story_vi, price from products where slug = ${slug}`;
    try {
      await settled(slug);
      const marker = `Câu chuyện mới ${Date.now()}`;
      await sql`update products set story_vi = ${marker}, price = price + 1000 where slug = ${slug}`;
      const before = productPageStats();
      const changed = await productPage(slug);
      expect(productPageStats().read).toBe(before.read + 1);
      expect(changed!.product.story.vi).toBe(marker);
      expect(changed!.product.price).toBe(Number(original!.price) + 1000);

      // Every lot recalled: the product can no longer be sold, at once.
      await settled(slug);
      const lots = await sql<Array<{ id: number; status: string }>>`select l.id, l.status from lots l join products p on p.id = l.product_id where p.slug = ${slug}`;
      expect(lots.length).toBeGreaterThan(0);
      try {
        await sql`update lots set status = 'recalled', recalled_at = now() where id in ${sql(lots.map((l) => l.id))}`;
        const recalled = await productPage(slug);
        expect(recalled!.product.sale.block).toBe('recalled');
        expect(recalled!.product.available).toBe(0);
      } finally {
        for (const l of lots) await sql`update lots set status = ${l.status}, recalled_at = null where id = ${l.id}`;
      }
      expect((await productPage(slug))!.product.sale.block).toBeNull();

      await settled(slug);
      await sql`update products set status = 'archived' where slug = ${slug}`;
      expect(await productPage(slug)).toBeNull();
    } finally {
      await sql`update products set story_vi = ${original!.story_vi}, price = ${original!.price}, status = 'published' where slug = ${slug}`;
    }
    expect((await productPage(slug))!.product.story.vi).toBe(original!.story_vi);
  });

  it('keeps nothing for slugs that are not products, and asks nothing for ones that cannot be', async () => {
    const before = productPageStats();
    expect(await productPage('khong-co-san-pham-nay')).toBeNull();
    expect(await productPage('../etc/passwd')).toBeNull();
    expect(await productPage('')).toBeNull();
    expect(productPageStats().held).toBe(before.held);
  });

  it('an experience shows no stock, kept or not', async () => {
    const { sql } = database.get();
    const [row] = await sql<Array<{ slug: string }>>`select slug from products where kind = 'experience' and status = 'published' order by id limit 1`;
    if (!row) return expect.fail('the demo data has an experience');
    expect((await productPage(row.slug))!.product.available).toBeNull();
    expect((await settled(row.slug))!.product.available).toBeNull();
    expect((await productPage(row.slug))!.product.available).toBeNull();
  });
});
