import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/index.ts';

/**
 * Who and what a notice is about (lib/messages): a producer's contacts — its public e-mail and
 * phone and the e-mails of its active accounts — and the names of a product and lot, read by id.
 */
export interface ProducerContacts {
  id: number;
  slug: string;
  name: string;
  email: string | null;
  phone: string | null;
  accounts: string[];
}

export async function selectProducerContacts(db: DbOrTx, by: { id: number } | { slug: string }): Promise<ProducerContacts | null> {
  const where = 'id' in by ? sql`pr.id = ${by.id}` : sql`pr.slug = ${by.slug}`;
  const rows = (await db.execute(sql`select pr.id, pr.slug, pr.name, pr.email, pr.phone,
      coalesce((select array_agg(u.email order by u.id) from users u where u.producer_id = pr.id and not u.disabled), '{}') as accounts
    from producers pr where ${where}`)) as unknown as Array<ProducerContacts>;
  const r = rows[0];
  return r ? { ...r, id: Number(r.id), accounts: r.accounts ?? [] } : null;
}

export interface NoticeSubject {
  product: { id: number; slug: string; nameVi: string; nameEn: string; producerId: number } | null;
  lot: { id: number; code: string } | null;
}

/** A product (and one of its lots) by id, for the text of a notice. */
export async function selectNoticeSubject(db: DbOrTx, productId: number, lotId?: number | null): Promise<NoticeSubject> {
  const products = (await db.execute(sql`select id, slug, name_vi as "nameVi", coalesce(name_en, name_vi) as "nameEn", producer_id as "producerId"
    from products where id = ${productId}`)) as unknown as Array<NonNullable<NoticeSubject['product']>>;
  const lots = lotId ? ((await db.execute(sql`select id, code from lots where id = ${lotId} and product_id = ${productId}`)) as unknown as Array<{ id: number; code: string }>) : [];
  const p = products[0];
  return {
    product: p ? { ...p, id: Number(p.id), producerId: Number(p.producerId) } : null,
    lot: lots[0] ? { id: Number(lots[0].id), code: lots[0].code } : null,
  };
}

export interface LowStockProduct {
  productId: number;
  producerId: number;
  slug: string;
  nameVi: string;
  nameEn: string;
  stock: number;
}

/** Published goods of active producers with at most `threshold` units left to sell. */
export async function selectLowStock(db: DbOrTx, threshold: number): Promise<LowStockProduct[]> {
  const rows = (await db.execute(sql`select p.id as "productId", p.producer_id as "producerId", p.slug, p.name_vi as "nameVi",
      coalesce(p.name_en, p.name_vi) as "nameEn", p.stock
    from products p join producers pr on pr.id = p.producer_id
    where p.status = 'published' and p.kind = 'goods' and pr.status <> 'suspended' and p.stock <= ${threshold}
    order by p.id`)) as unknown as LowStockProduct[];
  return rows.map((r) => ({ ...r, productId: Number(r.productId), producerId: Number(r.producerId), stock: Number(r.stock) }));
}
