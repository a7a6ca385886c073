-- The page cache (src/lib/http/page-cache.ts) keeps rendered public pages for anonymous visitors,
-- and the provenance page keeps each lot's part (src/lib/trace); both must drop what they keep the
-- moment it changes, whoever changed it (this process, another instance, a CLI, psql). Every change to a table those pages read advances one sequence, once per
-- transaction and at commit time (a deferred constraint trigger), so a process that sees the
-- sequence move knows the change is committed or about to be; it then renders afresh.
-- A sequence, not a counter row: nextval never waits for another transaction's lock, so
-- concurrent checkouts do not queue behind one another.
CREATE SEQUENCE IF NOT EXISTS page_cache_generation;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION page_cache_bump() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  -- once per transaction: a bulk change of 100,000 rows advances the generation once
  IF current_setting('ocop.page_cache_bumped', true) IS DISTINCT FROM '1' THEN
    PERFORM set_config('ocop.page_cache_bumped', '1', true);
    PERFORM nextval('page_cache_generation');
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION page_cache_bump_now() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  PERFORM nextval('page_cache_generation');
  RETURN NULL;
END $$;
--> statement-breakpoint
-- The same pair of triggers on every table those pages read.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['products', 'producers', 'certificates', 'lots', 'combos', 'combo_items',
                           'search_documents', 'product_groups', 'product_subgroups', 'provinces'] LOOP
    EXECUTE format('CREATE CONSTRAINT TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION page_cache_bump()', t || '_page_cache', t);
    EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION page_cache_bump_now()',
      t || '_page_cache_truncate', t);
  END LOOP;
END $$;
--> statement-breakpoint
-- Lot events are insert-only (migration 0002).
CREATE CONSTRAINT TRIGGER trace_events_page_cache AFTER INSERT ON trace_events
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION page_cache_bump();
