-- Issue 18: the clone evidence (distinct client networks of a stamp, overall and on its busiest
-- Vietnam day, lib/trace verdict.ts) was recounted from every scan of each stamp in each batch the
-- scan writer wrote: a cost that grew with the stamp's history (a stamp scanned 10,000 times re-read
-- 10,000 rows twice every half second it was scanned) and made PostgreSQL most of the cost of
-- /t/<code>. The distinct (stamp, day, network) triples now live in their own table, filled by a
-- statement trigger for every insert into scans (the scan writer, or any other writer), which
-- recounts from those few rows instead. Scans are never deleted, so the set only grows.
CREATE TABLE "stamp_scan_networks" (
  "stamp_id" bigint NOT NULL REFERENCES "stamps"("id"),
  "day" date NOT NULL,
  "network" text NOT NULL,
  CONSTRAINT "stamp_scan_networks_pk" PRIMARY KEY ("stamp_id", "day", "network")
);
--> statement-breakpoint
-- A scan without a known network counts as one network, '?' (as the recount did).
INSERT INTO stamp_scan_networks (stamp_id, day, network)
  SELECT DISTINCT stamp_id, (scanned_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, coalesce(network_prefix, '?')
  FROM scans WHERE stamp_id IS NOT NULL
  ON CONFLICT DO NOTHING;
--> statement-breakpoint
-- Each insert into scans adds its new (stamp, day, network) triples and recounts the clone
-- evidence of the stamps that got one: a scan from a network already seen that day (most scans,
-- a reload, a shop's wifi) costs one index probe and no recount. Stamps are locked in id order,
-- as the scan writer locks them before it inserts (lib/trace insertScanBatch), so two writers
-- never wait on each other in a cycle.
CREATE OR REPLACE FUNCTION scans_note_networks() RETURNS trigger
  LANGUAGE plpgsql AS $$
DECLARE
  touched bigint[];
BEGIN
  WITH fresh AS (
    INSERT INTO stamp_scan_networks (stamp_id, day, network)
      SELECT DISTINCT stamp_id, (scanned_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, coalesce(network_prefix, '?')
      FROM added WHERE stamp_id IS NOT NULL
      ORDER BY 1, 2, 3
      ON CONFLICT DO NOTHING
      RETURNING stamp_id
  )
  SELECT array_agg(DISTINCT stamp_id ORDER BY stamp_id) INTO touched FROM fresh;
  IF touched IS NULL THEN
    RETURN NULL;
  END IF;
  -- A statement of its own: it sees the triples the one above added.
  WITH locked AS (SELECT id FROM stamps WHERE id = ANY (touched) ORDER BY id FOR UPDATE)
  UPDATE stamps s SET
    scan_networks = (SELECT count(DISTINCT n.network)::int FROM stamp_scan_networks n WHERE n.stamp_id = s.id),
    scan_peak_networks = coalesce((SELECT max(d.n) FROM (SELECT count(*)::int AS n FROM stamp_scan_networks n WHERE n.stamp_id = s.id GROUP BY n.day) d), 0)
  FROM locked l WHERE s.id = l.id;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER scans_note_networks AFTER INSERT ON scans
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION scans_note_networks();
