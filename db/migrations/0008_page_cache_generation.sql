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
CREATE CONSTRAINT TRIGGER products_page_cache AFTER INSERT OR UPDATE OR DELETE ON products
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION page_cache_bump();
--> statement-breakpoint
CREATE TRIGGER products_page_cache_truncate AFTER TRUNCATE ON products
  FOR EACH STATEMENT EXECUTE FUNCTION page_cache_bump_now();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER producers_page_cache AFTER INSERT OR UPDATE OR DELETE ON producers
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION page_cache_bump();
--> statement-breakpoint
CREATE TRIGGER producers_page_cache_truncate AFTER TRUNCATE ON producers
  FOR EACH STATEMENT EXECUTE FUNCTION page_cache_bump_now();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER certificates_page_cache AFTER INSERT OR UPDATE OR DELETE ON certificates
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION page_cache_bump();
--> statement-breakpoint
CREATE TRIGGER certificates_page_cache_truncate AFTER TRUNCATE ON certificates
  FOR EACH STATEMENT EXECUTE FUNCTION page_cache_bump_now();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER lots_page_cache AFTER INSERT OR UPDATE OR DELETE ON lots
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION page_cache_bump();
--> statement-breakpoint
CREATE TRIGGER lots_page_cache_truncate AFTER TRUNCATE ON lots
  FOR EACH STATEMENT EXECUTE FUNCTION page_cache_bump_now();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER combos_page_cache AFTER INSERT OR UPDATE OR DELETE ON combos
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION page_cache_bump();
--> statement-breakpoint
CREATE TRIGGER combos_page_cache_truncate AFTER TRUNCATE ON combos
  FOR EACH STATEMENT EXECUTE FUNCTION page_cache_bump_now();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER combo_items_page_cache AFTER INSERT OR UPDATE OR DELETE ON combo_items
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION page_cache_bump();
--> statement-breakpoint
CREATE TRIGGER combo_items_page_cache_truncate AFTER TRUNCATE ON combo_items
  FOR EACH STATEMENT EXECUTE FUNCTION page_cache_bump_now();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER search_documents_page_cache AFTER INSERT OR UPDATE OR DELETE ON search_documents
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION page_cache_bump();
--> statement-breakpoint
CREATE TRIGGER search_documents_page_cache_truncate AFTER TRUNCATE ON search_documents
  FOR EACH STATEMENT EXECUTE FUNCTION page_cache_bump_now();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER product_groups_page_cache AFTER INSERT OR UPDATE OR DELETE ON product_groups
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION page_cache_bump();
--> statement-breakpoint
CREATE TRIGGER product_groups_page_cache_truncate AFTER TRUNCATE ON product_groups
  FOR EACH STATEMENT EXECUTE FUNCTION page_cache_bump_now();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER product_subgroups_page_cache AFTER INSERT OR UPDATE OR DELETE ON product_subgroups
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION page_cache_bump();
--> statement-breakpoint
CREATE TRIGGER product_subgroups_page_cache_truncate AFTER TRUNCATE ON product_subgroups
  FOR EACH STATEMENT EXECUTE FUNCTION page_cache_bump_now();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER provinces_page_cache AFTER INSERT OR UPDATE OR DELETE ON provinces
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION page_cache_bump();
--> statement-breakpoint
CREATE TRIGGER provinces_page_cache_truncate AFTER TRUNCATE ON provinces
  FOR EACH STATEMENT EXECUTE FUNCTION page_cache_bump_now();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER trace_events_page_cache AFTER INSERT ON trace_events
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION page_cache_bump();
