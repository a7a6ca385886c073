import { boolean, customType, date, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { products } from '../catalog/catalog.table.ts';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/**
 * The PostgreSQL search index: one row per product that may be listed (published, producer not
 * suspended, current certificate not revoked), rebuilt from the catalogue through the outbox
 * (`notifyCatalogChanged`). Narrow on purpose: filters, facets and ranking read only this table;
 * the cards shown are hydrated from the catalogue, so stock and certificate state are always live.
 */
export const searchDocuments = pgTable('search_documents', {
  productId: integer('product_id').primaryKey().references(() => products.id, { onDelete: 'cascade' }),
  producerId: integer('producer_id').notNull(),
  producerSlug: text('producer_slug').notNull(),
  groupCode: text('group_code').notNull(),
  subgroupCode: text('subgroup_code').notNull(),
  provinceCode: text('province_code').notNull(),
  price: integer('price').notNull(),
  featured: boolean('featured').notNull().default(false),
  publishedAt: timestamp('published_at', { withTimezone: true }),
  /** Stars of the current (not revoked) certificate; the badge shows while badge_until >= today. */
  certStars: integer('cert_stars'),
  badgeUntil: date('badge_until', { mode: 'string' }),
  /** lower(name_vi) | lower(name_en): an accented exact match ranks first. */
  nameLower: text('name_lower').notNull(),
  /** f_fold of the same: the unaccented phrase match ranks next. */
  nameFolded: text('name_folded').notNull(),
  /** Folded text, weighted A name, B producer, C group/sub-group/province, D description/story. */
  tsv: tsvector('tsv').notNull(),
  /** The A–C part alone (small, kept in the row): ranking reads it without fetching the story text. */
  tsvHead: tsvector('tsv_head').notNull(),
  indexedAt: timestamp('indexed_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  // Migration 0006 (custom SQL): the GIN index has fastupdate off, tsv_head and the names are kept
  // in the row (STORAGE MAIN), and search_documents_listing_idx (price) INCLUDE (filter and sort
  // columns) serves listings without a query by index-only scans.
  index('search_documents_tsv_idx').using('gin', t.tsv),
  index('search_documents_group_idx').on(t.groupCode, t.subgroupCode),
  index('search_documents_province_idx').on(t.provinceCode),
  index('search_documents_producer_idx').on(t.producerId),
  index('search_documents_price_idx').on(t.price),
  index('search_documents_published_idx').on(t.publishedAt),
  index('search_documents_relevance_idx').on(t.featured, t.certStars, t.productId),
]);

/**
 * Every folded word of the index: the vocabulary typos are corrected against ("mamm" → "mam").
 * A few thousand words even at 100k products, so each process keeps a copy in memory.
 */
export const searchTerms = pgTable('search_terms', {
  term: text('term').primaryKey(),
});
