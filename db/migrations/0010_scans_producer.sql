ALTER TABLE "scans" ADD COLUMN "producer_id" integer;--> statement-breakpoint
ALTER TABLE "scans" ADD CONSTRAINT "scans_producer_id_producers_id_fk" FOREIGN KEY ("producer_id") REFERENCES "public"."producers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "scans_producer_time_idx" ON "scans" USING btree ("producer_id","scanned_at");--> statement-breakpoint
-- Scans recorded before this migration get their stamp's producer.
UPDATE scans x SET producer_id = p.producer_id
  FROM stamps s JOIN lots l ON l.id = s.lot_id JOIN products p ON p.id = l.product_id
  WHERE s.id = x.stamp_id AND x.producer_id IS NULL;
--> statement-breakpoint
-- The scan writer (insertScanBatch) sets producer_id itself; any other writer gets it here.
CREATE OR REPLACE FUNCTION scans_fill_producer() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  SELECT p.producer_id INTO NEW.producer_id
    FROM stamps s JOIN lots l ON l.id = s.lot_id JOIN products p ON p.id = l.product_id
    WHERE s.id = NEW.stamp_id;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER scans_fill_producer BEFORE INSERT ON scans
  FOR EACH ROW WHEN (NEW.producer_id IS NULL AND NEW.stamp_id IS NOT NULL) EXECUTE FUNCTION scans_fill_producer();
