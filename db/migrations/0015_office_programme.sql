-- The OCOP office's programme: evaluation rounds, producers' dossiers (documents, commune
-- assessment, every step kept), council scores per part of the score sheet, plans with yearly
-- targets, and the fairs and trainings the plans count.
CREATE TABLE "evaluation_rounds" (
  "id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
  "province_code" text NOT NULL REFERENCES "provinces"("code"),
  "year" integer NOT NULL,
  "half" integer NOT NULL,
  "name" text NOT NULL,
  "status" text DEFAULT 'open' NOT NULL,
  "created_at" timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT "evaluation_rounds_year_ck" CHECK ("year" BETWEEN 2018 AND 2100),
  CONSTRAINT "evaluation_rounds_half_ck" CHECK ("half" IN (1, 2)),
  CONSTRAINT "evaluation_rounds_status_ck" CHECK ("status" IN ('open', 'closed'))
);--> statement-breakpoint
CREATE UNIQUE INDEX "evaluation_rounds_uq" ON "evaluation_rounds" ("province_code", "year", "half");--> statement-breakpoint
CREATE TABLE "dossiers" (
  "id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
  "producer_id" integer NOT NULL REFERENCES "producers"("id"),
  "product_id" integer NOT NULL REFERENCES "products"("id"),
  "kind" text NOT NULL,
  "subgroup_code" text NOT NULL REFERENCES "product_subgroups"("code"),
  "status" text DEFAULT 'submitted' NOT NULL,
  "self_a" numeric(5, 2) NOT NULL,
  "self_b" numeric(5, 2) NOT NULL,
  "self_c" numeric(5, 2) NOT NULL,
  "note" text,
  "office_comment" text,
  "round_id" integer REFERENCES "evaluation_rounds"("id"),
  "evaluation_id" integer REFERENCES "evaluations"("id"),
  "certificate_id" integer REFERENCES "certificates"("id"),
  "submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
  "created_at" timestamp with time zone DEFAULT now() NOT NULL,
  "updated_at" timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT "dossiers_kind_ck" CHECK ("kind" IN ('first', 'renewal', 'upgrade')),
  CONSTRAINT "dossiers_status_ck" CHECK ("status" IN ('submitted', 'returned', 'accepted', 'rejected', 'evaluated', 'forwarded', 'not_certified', 'certified')),
  CONSTRAINT "dossiers_self_ck" CHECK ("self_a" BETWEEN 0 AND 40 AND "self_b" BETWEEN 0 AND 25 AND "self_c" BETWEEN 0 AND 35),
  CONSTRAINT "dossiers_round_ck" CHECK ("status" IN ('submitted', 'returned', 'rejected') OR "round_id" IS NOT NULL)
);--> statement-breakpoint
CREATE INDEX "dossiers_status_idx" ON "dossiers" ("status", "submitted_at");--> statement-breakpoint
CREATE INDEX "dossiers_producer_idx" ON "dossiers" ("producer_id", "created_at");--> statement-breakpoint
CREATE TABLE "dossier_documents" (
  "id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
  "dossier_id" integer NOT NULL REFERENCES "dossiers"("id") ON DELETE CASCADE,
  "kind" text NOT NULL,
  "url" text NOT NULL,
  "file_kind" text NOT NULL,
  "file_name" text NOT NULL,
  "uploaded_at" timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT "dossier_documents_kind_ck" CHECK ("kind" IN ('business_registration', 'standards_declaration', 'test_report', 'label_packaging', 'story', 'three_year_report', 'other')),
  CONSTRAINT "dossier_documents_file_kind_ck" CHECK ("file_kind" IN ('pdf', 'image'))
);--> statement-breakpoint
CREATE INDEX "dossier_documents_dossier_idx" ON "dossier_documents" ("dossier_id");--> statement-breakpoint
CREATE TABLE "dossier_events" (
  "id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
  "dossier_id" integer NOT NULL REFERENCES "dossiers"("id") ON DELETE CASCADE,
  "action" text NOT NULL,
  "status" text NOT NULL,
  "comment" text,
  "actor_user_id" integer,
  "actor_email" text,
  "at" timestamp with time zone DEFAULT now() NOT NULL
);--> statement-breakpoint
CREATE INDEX "dossier_events_dossier_idx" ON "dossier_events" ("dossier_id", "id");--> statement-breakpoint
CREATE TABLE "commune_assessments" (
  "dossier_id" integer PRIMARY KEY REFERENCES "dossiers"("id") ON DELETE CASCADE,
  "commune" text NOT NULL,
  "assessed_on" date NOT NULL,
  "raw_materials_met" boolean NOT NULL,
  "raw_materials_note" text,
  "labour_met" boolean NOT NULL,
  "labour_note" text,
  "idea_met" boolean NOT NULL,
  "idea_note" text,
  "identity_met" boolean NOT NULL,
  "identity_note" text,
  "recorded_by" integer,
  "recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);--> statement-breakpoint
ALTER TABLE "evaluations" ADD COLUMN "council_size" integer;--> statement-breakpoint
ALTER TABLE "evaluations" ADD CONSTRAINT "evaluations_council_size_ck" CHECK ("council_size" IS NULL OR "council_size" BETWEEN 1 AND 11);--> statement-breakpoint
ALTER TABLE "evaluation_scores" ADD COLUMN "part_a" numeric(5, 2);--> statement-breakpoint
ALTER TABLE "evaluation_scores" ADD COLUMN "part_b" numeric(5, 2);--> statement-breakpoint
ALTER TABLE "evaluation_scores" ADD COLUMN "part_c" numeric(5, 2);--> statement-breakpoint
ALTER TABLE "evaluation_scores" ADD CONSTRAINT "evaluation_scores_parts_ck" CHECK (
  ("part_a" IS NULL AND "part_b" IS NULL AND "part_c" IS NULL)
  OR ("part_a" BETWEEN 0 AND 40 AND "part_b" BETWEEN 0 AND 25 AND "part_c" BETWEEN 0 AND 35 AND "score" = "part_a" + "part_b" + "part_c"));--> statement-breakpoint
CREATE TABLE "programme_plans" (
  "id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
  "province_code" text NOT NULL REFERENCES "provinces"("code"),
  "commune" text,
  "legacy_area" text,
  "area_name" text NOT NULL,
  "year" integer NOT NULL,
  "target_products" integer,
  "target_first" integer,
  "target_upgrades" integer,
  "target_renewals" integer,
  "target_cooperatives" integer,
  "target_points_of_sale" integer,
  "target_fairs" integer,
  "target_trained" integer,
  "note" text,
  "created_by" integer,
  "created_at" timestamp with time zone DEFAULT now() NOT NULL,
  "updated_at" timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT "programme_plans_year_ck" CHECK ("year" BETWEEN 2018 AND 2100),
  CONSTRAINT "programme_plans_targets_ck" CHECK (
    coalesce("target_products", 0) >= 0 AND coalesce("target_first", 0) >= 0 AND coalesce("target_upgrades", 0) >= 0
    AND coalesce("target_renewals", 0) >= 0 AND coalesce("target_cooperatives", 0) >= 0 AND coalesce("target_points_of_sale", 0) >= 0
    AND coalesce("target_fairs", 0) >= 0 AND coalesce("target_trained", 0) >= 0)
);--> statement-breakpoint
CREATE UNIQUE INDEX "programme_plans_area_year_uq" ON "programme_plans" ("province_code", (coalesce("commune", '')), (coalesce("legacy_area", '')), "year");--> statement-breakpoint
CREATE TABLE "programme_events" (
  "id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
  "kind" text NOT NULL,
  "title" text NOT NULL,
  "held_on" date NOT NULL,
  "province_code" text NOT NULL REFERENCES "provinces"("code"),
  "commune" text,
  "legacy_area" text,
  "participants" integer DEFAULT 0 NOT NULL,
  "created_by" integer,
  "created_at" timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT "programme_events_kind_ck" CHECK ("kind" IN ('fair', 'training')),
  CONSTRAINT "programme_events_participants_ck" CHECK ("participants" BETWEEN 0 AND 1000000)
);--> statement-breakpoint
CREATE INDEX "programme_events_year_idx" ON "programme_events" ("province_code", "held_on");
