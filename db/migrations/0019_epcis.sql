-- EPCIS 2.0 capture and query (src/lib/epcis). Events captured from other systems land in the same
-- append-only trace_events timeline as events typed in the dashboard; these columns keep what the
-- EPCIS interface needs: the event's own eventID (idempotent capture), the event as captured, and
-- the identifiers it names (canonical "<gtin14>/10/<lot>" and "<gtin14>/21/<serial>" keys for MATCH_epc).
-- Adding columns is not an UPDATE: the append-only trigger of 0002 stays untouched.
ALTER TABLE trace_events ADD COLUMN epcis_event_id text;
--> statement-breakpoint
ALTER TABLE trace_events ADD COLUMN epcis_event jsonb;
--> statement-breakpoint
ALTER TABLE trace_events ADD COLUMN epcs text[] DEFAULT '{}'::text[] NOT NULL;
--> statement-breakpoint
ALTER TABLE trace_events ADD COLUMN capture_id text;
--> statement-breakpoint
CREATE UNIQUE INDEX trace_events_epcis_event_id_uq ON trace_events (epcis_event_id) WHERE epcis_event_id IS NOT NULL AND corrects_event_id IS NULL;
--> statement-breakpoint
CREATE INDEX trace_events_epcs_idx ON trace_events USING gin (epcs);
--> statement-breakpoint
CREATE INDEX trace_events_time_idx ON trace_events (occurred_at, id);
--> statement-breakpoint
CREATE TABLE epcis_capture_jobs (
  id text PRIMARY KEY,
  producer_id integer NOT NULL REFERENCES producers(id),
  created_at timestamptz DEFAULT now() NOT NULL,
  finished_at timestamptz,
  running boolean DEFAULT false NOT NULL,
  success boolean NOT NULL,
  capture_error_behaviour text DEFAULT 'rollback' NOT NULL,
  event_count integer DEFAULT 0 NOT NULL,
  captured_count integer DEFAULT 0 NOT NULL,
  errors jsonb DEFAULT '[]'::jsonb NOT NULL,
  CONSTRAINT epcis_capture_jobs_behaviour_ck CHECK (capture_error_behaviour IN ('rollback', 'proceed'))
);
--> statement-breakpoint
CREATE INDEX epcis_capture_jobs_producer_idx ON epcis_capture_jobs (producer_id, created_at);
