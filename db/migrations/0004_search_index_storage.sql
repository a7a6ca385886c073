-- Keep search_documents rows narrow: the full tsvector (with descriptions and stories, often
-- 1–2 kB) moves out of line, so facet counts and filter-only pages scan a small heap; matching
-- reads it through the GIN index and ranking uses the small in-row tsv_head.
ALTER TABLE "search_documents" ALTER COLUMN "tsv" SET STORAGE EXTERNAL;
--> statement-breakpoint
ALTER TABLE "search_documents" SET (toast_tuple_target = 128);
