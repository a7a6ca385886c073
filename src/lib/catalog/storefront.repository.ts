import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/index.ts';
import { VISIBLE } from './catalog.repository.ts';

/** Storefront SQL beyond the product cards: the producers' index, and what the sitemap lists. */

export interface ProducerListRow {
  slug: string;
  name: string;
  type: string;
  province_code: string;
  commune: string | null;
  story_vi: string | null;
  story_en: string | null;
  products: number;
  /** The first picture of one of its visible products, or null. */
  image: { url: string; width: number; height: number; altVi: string; altEn: string } | null;
}

/** Producers that are not suspended and have at least one visible product, with their product count. */
export async function selectProducerList(db: DbOrTx): Promise<ProducerListRow[]> {
  return db.execute(sql`
    select pr.slug, pr.name, pr.type, pr.province_code, pr.commune, pr.story_vi, pr.story_en,
      count(p.id)::int as products,
      (array_agg(p.images -> 0 order by p.featured desc, p.id) filter (where jsonb_array_length(p.images) > 0))[1] as image
    from producers pr join products p on p.producer_id = pr.id
    where ${VISIBLE}
    group by pr.id
    order by pr.name`) as unknown as Promise<ProducerListRow[]>;
}

/** Every public page's key and when it last changed, for /sitemap.xml. */
export async function selectSitemap(db: DbOrTx) {
  const [products, producers, combos] = await Promise.all([
    db.execute(sql`select p.slug, greatest(p.updated_at, pr.updated_at) as at from products p join producers pr on pr.id = p.producer_id where ${VISIBLE} order by p.id`),
    db.execute(sql`select pr.slug, max(greatest(p.updated_at, pr.updated_at)) as at, pr.province_code from producers pr join products p on p.producer_id = pr.id where ${VISIBLE} group by pr.id order by pr.id`),
    db.execute(sql`select slug, updated_at as at from combos where status = 'published' order by id`),
  ]);
  return {
    products: products as unknown as Array<{ slug: string; at: string | Date }>,
    producers: producers as unknown as Array<{ slug: string; at: string | Date; province_code: string }>,
    combos: combos as unknown as Array<{ slug: string; at: string | Date }>,
  };
}
