-- Extensions the catalogue search needs, on PGlite and on a server alike.
CREATE EXTENSION IF NOT EXISTS unaccent;
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
-- unaccent() is STABLE (it depends on search_path and the dictionary), so it cannot be used in an
-- index. This wrapper pins the dictionary and is declared IMMUTABLE; it also folds đ/Đ, which
-- unaccent maps already, and lower-cases, so "Nước Mắm" and "nuoc mam" index alike.
CREATE OR REPLACE FUNCTION f_fold(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  RETURN lower(public.unaccent('public.unaccent'::regdictionary, translate($1, 'đĐ', 'dD')));
