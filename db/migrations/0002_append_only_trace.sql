-- EPCIS events are facts about the past: never edited, never deleted. Corrections are new
-- error-declaration events (DESIGN.md §3), so the database refuses UPDATE and DELETE outright.
CREATE OR REPLACE FUNCTION trace_events_append_only() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'trace_events is append-only: record an error declaration instead'
    USING ERRCODE = 'restrict_violation';
END $$;
--> statement-breakpoint
CREATE TRIGGER trace_events_no_update BEFORE UPDATE OR DELETE ON trace_events
  FOR EACH ROW EXECUTE FUNCTION trace_events_append_only();
