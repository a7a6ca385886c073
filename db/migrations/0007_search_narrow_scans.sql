-- Search at 100k products (measured with EXPLAIN (ANALYZE, BUFFERS) of the backend's own statements):
-- 0004 let the toaster move tsv_head and the names out of line too (toast_tuple_target = 128), so
-- ranking detoasted them for every match (187k buffer hits for "mat ong"). Only the big tsv goes out
-- of line now; the ranking vector and names stay in the row, uncompressed (rows written from now on;
-- `npm run search:reindex` rewrites them all).
ALTER TABLE "search_documents" RESET (toast_tuple_target);
--> statement-breakpoint
ALTER TABLE "search_documents" ALTER COLUMN "tsv_head" SET STORAGE MAIN, ALTER COLUMN "name_lower" SET STORAGE MAIN, ALTER COLUMN "name_folded" SET STORAGE MAIN;
--> statement-breakpoint
-- No GIN pending list: every search would scan it linearly until the next vacuum. The index is
-- written only by the indexer, which can afford the slower inserts (a full rebuild takes longer).
ALTER INDEX "search_documents_tsv_idx" SET (fastupdate = off);
--> statement-breakpoint
-- Listings without a query (filters, sorts, facet counts) read this covering index alone
-- (index-only scans: 25 MB at 100k products, against 115 MB of rows).
CREATE INDEX "search_documents_listing_idx" ON "search_documents" USING btree ("price")
  INCLUDE ("product_id", "group_code", "subgroup_code", "province_code", "producer_slug", "cert_stars", "badge_until", "featured", "published_at");
--> statement-breakpoint
-- Synonyms match in names, producer, group and place only: against tsv_head (which holds exactly
-- those fields) through its own GIN index, instead of weight-restricted terms on tsv.
CREATE INDEX "search_documents_head_idx" ON "search_documents" USING gin ("tsv_head") WITH (fastupdate = off);
