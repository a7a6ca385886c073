-- Issue 12, item 3: the clone warning rests on distinct client networks (lib/trace verdict.ts).
ALTER TABLE "stamps" ADD COLUMN IF NOT EXISTS "scan_networks" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "stamps" ADD COLUMN IF NOT EXISTS "scan_peak_networks" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Stamps already scanned get their counts from the scans they have.
WITH per_day AS (
  SELECT stamp_id, (scanned_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS day, count(DISTINCT coalesce(network_prefix, '?'))::int AS n
  FROM scans GROUP BY 1, 2
), counted AS (
  SELECT d.stamp_id, max(d.n) AS peak,
    (SELECT count(DISTINCT coalesce(y.network_prefix, '?'))::int FROM scans y WHERE y.stamp_id = d.stamp_id) AS networks
  FROM per_day d GROUP BY d.stamp_id
)
UPDATE "stamps" s SET "scan_networks" = c.networks, "scan_peak_networks" = c.peak FROM counted c WHERE s.id = c.stamp_id;
