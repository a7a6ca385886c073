-- Monitoring after certification (issue 14, items 6–7): lot recalls, inspections, reports from the public.
-- The shop and places engineers add the same two lot columns the same way (IF NOT EXISTS).
ALTER TABLE "lots" ADD COLUMN IF NOT EXISTS "recalled_at" timestamptz;--> statement-breakpoint
ALTER TABLE "lots" ADD COLUMN IF NOT EXISTS "recall_reason" text;--> statement-breakpoint
ALTER TABLE "lots" ADD COLUMN IF NOT EXISTS "recalled_by" text;--> statement-breakpoint
ALTER TABLE "lots" ADD COLUMN IF NOT EXISTS "recall_inspection_id" integer;--> statement-breakpoint
-- Lots recalled before this migration (status only) get a time, so "recalled_at is not null" is the one test.
UPDATE "lots" SET "recalled_at" = "created_at" WHERE "status" = 'recalled' AND "recalled_at" IS NULL;--> statement-breakpoint
CREATE TABLE "inspections" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
	"producer_id" integer NOT NULL REFERENCES "producers"("id"),
	"product_id" integer REFERENCES "products"("id"),
	"lot_id" integer REFERENCES "lots"("id"),
	"inspected_on" date NOT NULL,
	"inspectors" text[] NOT NULL,
	"findings" text NOT NULL,
	"documents" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"outcome" text NOT NULL,
	"decision" text,
	"decision_note" text,
	"decided_at" timestamptz,
	"decided_by" text,
	"created_by" text,
	"created_at" timestamptz DEFAULT now() NOT NULL,
	CONSTRAINT "inspections_outcome_ck" CHECK ("outcome" in ('compliant','warning','violation')),
	CONSTRAINT "inspections_decision_ck" CHECK ("decision" is null or ("outcome" = 'violation' and "decision" in ('warning','lot_recall','revocation'))),
	CONSTRAINT "inspections_decided_ck" CHECK (("decision" is null) = ("decided_at" is null)),
	CONSTRAINT "inspections_inspectors_ck" CHECK (cardinality("inspectors") between 1 and 20)
);--> statement-breakpoint
CREATE INDEX "inspections_producer_idx" ON "inspections" USING btree ("producer_id","inspected_on");--> statement-breakpoint
CREATE INDEX "inspections_open_idx" ON "inspections" USING btree ("inspected_on") WHERE "outcome" = 'violation' AND "decision" IS NULL;--> statement-breakpoint
CREATE TABLE "public_reports" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
	"product_id" integer NOT NULL REFERENCES "products"("id"),
	"lot_id" integer REFERENCES "lots"("id"),
	"stamp_code" text,
	"category" text NOT NULL,
	"body" text NOT NULL,
	"photo_url" text,
	"contact" text,
	"locale" text DEFAULT 'vi' NOT NULL,
	"client_network" text,
	"status" text DEFAULT 'new' NOT NULL,
	"office_note" text,
	"created_at" timestamptz DEFAULT now() NOT NULL,
	"updated_at" timestamptz DEFAULT now() NOT NULL,
	CONSTRAINT "public_reports_category_ck" CHECK ("category" in ('counterfeit','quality','label','other')),
	CONSTRAINT "public_reports_status_ck" CHECK ("status" in ('new','reviewing','resolved','dismissed')),
	CONSTRAINT "public_reports_body_ck" CHECK (char_length("body") between 1 and 4000)
);--> statement-breakpoint
CREATE INDEX "public_reports_status_idx" ON "public_reports" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "public_reports_product_idx" ON "public_reports" USING btree ("product_id","created_at");
