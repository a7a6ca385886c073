-- The PostgreSQL search backend keeps a copy of the search index in memory (the filter and sort
-- columns of every listed product, and the matches of the query texts it answered) and must drop
-- it the moment the index changes, whoever changes it. page_cache_generation (0008) also moves
-- with every stock change, which search never reads; search_index_generation moves only when
-- search_documents does.
--
-- Both generations now advance through one trigger function taking the sequence's name: once per
-- transaction and at commit time for row changes (deferred constraint triggers), at once for a
-- TRUNCATE. 0008's two page-cache functions are replaced by it.
CREATE SEQUENCE IF NOT EXISTS search_index_generation;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION generation_bump() RETURNS trigger
  LANGUAGE plpgsql AS $$
DECLARE
  done text := 'ocop.bumped_' || TG_ARGV[0];
BEGIN
  IF TG_LEVEL = 'STATEMENT' THEN
    PERFORM nextval(TG_ARGV[0]);
  -- once per transaction: a bulk change of 100,000 rows advances the generation once
  ELSIF current_setting(done, true) IS DISTINCT FROM '1' THEN
    PERFORM set_config(done, '1', true);
    PERFORM nextval(TG_ARGV[0]);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
DO $$
DECLARE
  t text;
  sequence text;
BEGIN
  FOR t, sequence IN
    SELECT u.t, 'page_cache_generation' FROM unnest(ARRAY['products', 'producers', 'certificates', 'lots', 'combos',
      'combo_items', 'search_documents', 'product_groups', 'product_subgroups', 'provinces']) AS u(t)
    UNION ALL SELECT 'search_documents', 'search_index_generation'
  LOOP
    EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', t || '_page_cache', t);
    EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', t || '_page_cache_truncate', t);
    EXECUTE format('CREATE CONSTRAINT TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION generation_bump(%L)', t || '_' || sequence, t, sequence);
    EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION generation_bump(%L)',
      t || '_' || sequence || '_truncate', t, sequence);
  END LOOP;
END $$;
--> statement-breakpoint
-- Lot events are insert-only (migration 0002).
DROP TRIGGER IF EXISTS trace_events_page_cache ON trace_events;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER trace_events_page_cache_generation AFTER INSERT ON trace_events
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION generation_bump('page_cache_generation');
--> statement-breakpoint
DROP FUNCTION IF EXISTS page_cache_bump();
--> statement-breakpoint
DROP FUNCTION IF EXISTS page_cache_bump_now();
