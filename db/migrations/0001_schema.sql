CREATE TABLE "combo_items" (
	"combo_id" integer NOT NULL,
	"product_id" integer NOT NULL,
	"qty" integer NOT NULL,
	CONSTRAINT "combo_items_combo_id_product_id_pk" PRIMARY KEY("combo_id","product_id"),
	CONSTRAINT "combo_items_qty_ck" CHECK ("combo_items"."qty" > 0)
);
--> statement-breakpoint
CREATE TABLE "combos" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "combos_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"slug" text NOT NULL,
	"name_vi" text NOT NULL,
	"name_en" text NOT NULL,
	"description_vi" text DEFAULT '' NOT NULL,
	"description_en" text DEFAULT '' NOT NULL,
	"price" integer NOT NULL,
	"image" jsonb,
	"status" text DEFAULT 'draft' NOT NULL,
	"featured" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "combos_slug_ck" CHECK ("combos"."slug" ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
	CONSTRAINT "combos_price_ck" CHECK ("combos"."price" >= 0),
	CONSTRAINT "combos_status_ck" CHECK ("combos"."status" in ('draft','published','archived'))
);
--> statement-breakpoint
CREATE TABLE "producers" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "producers_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"tax_code" text,
	"province_code" text NOT NULL,
	"commune" text,
	"address_line" text,
	"historical_address" text,
	"story_vi" text,
	"story_en" text,
	"phone" text,
	"email" text,
	"website" text,
	"bank_bin" text,
	"bank_account" text,
	"bank_account_name" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "producers_slug_ck" CHECK ("producers"."slug" ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
	CONSTRAINT "producers_tax_code_ck" CHECK ("producers"."tax_code" is null or "producers"."tax_code" ~ '^[0-9]{10}(-[0-9]{3})?$'),
	CONSTRAINT "producers_type_ck" CHECK ("producers"."type" in ('enterprise','cooperative','cooperative_group','household','farm')),
	CONSTRAINT "producers_status_ck" CHECK ("producers"."status" in ('pending','verified','suspended')),
	CONSTRAINT "producers_bank_bin_ck" CHECK ("producers"."bank_bin" is null or "producers"."bank_bin" ~ '^[0-9]{6}$')
);
--> statement-breakpoint
CREATE TABLE "product_groups" (
	"code" text PRIMARY KEY NOT NULL,
	"name_vi" text NOT NULL,
	"name_en" text NOT NULL,
	"position" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "product_subgroups" (
	"code" text PRIMARY KEY NOT NULL,
	"group_code" text NOT NULL,
	"name_vi" text NOT NULL,
	"name_en" text NOT NULL,
	"category_vi" text,
	"position" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "products" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "products_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"slug" text NOT NULL,
	"producer_id" integer NOT NULL,
	"group_code" text NOT NULL,
	"subgroup_code" text NOT NULL,
	"kind" text DEFAULT 'goods' NOT NULL,
	"name_vi" text NOT NULL,
	"name_en" text NOT NULL,
	"description_vi" text DEFAULT '' NOT NULL,
	"description_en" text DEFAULT '' NOT NULL,
	"story_vi" text DEFAULT '' NOT NULL,
	"story_en" text DEFAULT '' NOT NULL,
	"price" integer NOT NULL,
	"unit_vi" text NOT NULL,
	"unit_en" text NOT NULL,
	"weight_grams" integer DEFAULT 0 NOT NULL,
	"stock" integer DEFAULT 0 NOT NULL,
	"reserved" integer DEFAULT 0 NOT NULL,
	"gtin" text,
	"images" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"standards" text[] DEFAULT '{}'::text[] NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"featured" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	CONSTRAINT "products_slug_ck" CHECK ("products"."slug" ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
	CONSTRAINT "products_price_ck" CHECK ("products"."price" >= 0),
	CONSTRAINT "products_stock_ck" CHECK ("products"."stock" >= 0),
	CONSTRAINT "products_reserved_ck" CHECK ("products"."reserved" >= 0),
	CONSTRAINT "products_weight_ck" CHECK ("products"."weight_grams" >= 0),
	CONSTRAINT "products_gtin_ck" CHECK ("products"."gtin" is null or "products"."gtin" ~ '^([0-9]{8}|[0-9]{12,14})$'),
	CONSTRAINT "products_status_ck" CHECK ("products"."status" in ('draft','published','archived')),
	CONSTRAINT "products_kind_ck" CHECK ("products"."kind" in ('goods','experience'))
);
--> statement-breakpoint
CREATE TABLE "provinces" (
	"code" text PRIMARY KEY NOT NULL,
	"name_vi" text NOT NULL,
	"name_en" text NOT NULL,
	"is_city" boolean DEFAULT false NOT NULL,
	"formerly" text[] DEFAULT '{}'::text[] NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lots" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "lots_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"product_id" integer NOT NULL,
	"code" text NOT NULL,
	"produced_on" date NOT NULL,
	"best_before" date,
	"quantity" integer NOT NULL,
	"material_area_vi" text,
	"material_area_en" text,
	"growing_area_code" text,
	"harvested_on" date,
	"documents" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"status" text DEFAULT 'released' NOT NULL,
	"recall_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lots_quantity_ck" CHECK ("lots"."quantity" >= 0),
	CONSTRAINT "lots_dates_ck" CHECK ("lots"."best_before" is null or "lots"."best_before" >= "lots"."produced_on"),
	CONSTRAINT "lots_code_ck" CHECK ("lots"."code" ~ '^[!-~]{1,20}$'),
	CONSTRAINT "lots_status_ck" CHECK ("lots"."status" in ('draft','released','recalled'))
);
--> statement-breakpoint
CREATE TABLE "certificates" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "certificates_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"product_id" integer NOT NULL,
	"evaluation_id" integer,
	"number" text NOT NULL,
	"decision_number" text NOT NULL,
	"authority" text NOT NULL,
	"authority_level" text NOT NULL,
	"stars" integer NOT NULL,
	"score" numeric(5, 2),
	"issued_on" date NOT NULL,
	"valid_until" date NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"revoked_at" timestamp with time zone,
	"revocation_reason" text,
	"supersedes_id" integer,
	"expiry_notice_queued_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "certificates_stars_ck" CHECK ("certificates"."stars" between 3 and 5),
	CONSTRAINT "certificates_score_ck" CHECK ("certificates"."score" is null or "certificates"."score" between 0 and 100),
	CONSTRAINT "certificates_dates_ck" CHECK ("certificates"."valid_until" > "certificates"."issued_on"),
	CONSTRAINT "certificates_status_ck" CHECK ("certificates"."status" in ('active','superseded','revoked')),
	CONSTRAINT "certificates_level_ck" CHECK ("certificates"."authority_level" in ('commune','district','province','central')),
	CONSTRAINT "certificates_revoked_ck" CHECK (("certificates"."status" = 'revoked') = ("certificates"."revoked_at" is not null and "certificates"."revocation_reason" is not null))
);
--> statement-breakpoint
CREATE TABLE "evaluation_scores" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "evaluation_scores_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"evaluation_id" integer NOT NULL,
	"member_name" text NOT NULL,
	"is_chair" boolean DEFAULT false NOT NULL,
	"score" numeric(5, 2) NOT NULL,
	CONSTRAINT "evaluation_scores_score_ck" CHECK ("evaluation_scores"."score" between 0 and 100)
);
--> statement-breakpoint
CREATE TABLE "evaluations" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "evaluations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"product_id" integer NOT NULL,
	"level" text NOT NULL,
	"council_name" text,
	"evaluated_on" date NOT NULL,
	"score" numeric(5, 2) NOT NULL,
	"stars" integer NOT NULL,
	"mandatory_met" boolean DEFAULT true NOT NULL,
	"notes" text,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "evaluations_score_ck" CHECK ("evaluations"."score" between 0 and 100),
	CONSTRAINT "evaluations_stars_ck" CHECK ("evaluations"."stars" between 1 and 5),
	CONSTRAINT "evaluations_level_ck" CHECK ("evaluations"."level" in ('commune','district','province','central'))
);
--> statement-breakpoint
CREATE TABLE "trace_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "trace_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"lot_id" integer NOT NULL,
	"event_type" text DEFAULT 'ObjectEvent' NOT NULL,
	"action" text DEFAULT 'OBSERVE' NOT NULL,
	"biz_step" text NOT NULL,
	"disposition" text,
	"occurred_at" timestamp with time zone NOT NULL,
	"time_zone_offset" text DEFAULT '+07:00' NOT NULL,
	"read_point" text,
	"biz_location" text,
	"place_name" text,
	"latitude" double precision,
	"longitude" double precision,
	"actor" text,
	"description_vi" text,
	"description_en" text,
	"inputs" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"outputs" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"evidence" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"corrects_event_id" bigint,
	"error_reason" text,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"recorded_by" integer,
	CONSTRAINT "trace_events_type_ck" CHECK ("trace_events"."event_type" in ('ObjectEvent','AggregationEvent','TransformationEvent','AssociationEvent','TransactionEvent')),
	CONSTRAINT "trace_events_action_ck" CHECK ("trace_events"."action" in ('ADD','OBSERVE','DELETE')),
	CONSTRAINT "trace_events_offset_ck" CHECK ("trace_events"."time_zone_offset" ~ '^[+-][0-9]{2}:[0-9]{2}$'),
	CONSTRAINT "trace_events_lat_ck" CHECK ("trace_events"."latitude" is null or "trace_events"."latitude" between -90 and 90),
	CONSTRAINT "trace_events_lng_ck" CHECK ("trace_events"."longitude" is null or "trace_events"."longitude" between -180 and 180)
);
--> statement-breakpoint
CREATE TABLE "scans" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "scans_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"stamp_id" bigint,
	"scanned_at" timestamp with time zone DEFAULT now() NOT NULL,
	"verdict" text NOT NULL,
	"network_prefix" text,
	"client" text,
	"language" text,
	"source" text DEFAULT 'qr' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stamp_runs" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "stamp_runs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"lot_id" integer NOT NULL,
	"product_id" integer NOT NULL,
	"count" integer NOT NULL,
	"note" text,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"voided_at" timestamp with time zone,
	"void_reason" text,
	CONSTRAINT "stamp_runs_count_ck" CHECK ("stamp_runs"."count" > 0)
);
--> statement-breakpoint
CREATE TABLE "stamps" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "stamps_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"code" text NOT NULL,
	"run_id" integer NOT NULL,
	"lot_id" integer NOT NULL,
	"status" text DEFAULT 'issued' NOT NULL,
	"pin_hash" text,
	"pin_used_at" timestamp with time zone,
	"pin_attempts" smallint DEFAULT 0 NOT NULL,
	"scan_count" integer DEFAULT 0 NOT NULL,
	"first_scanned_at" timestamp with time zone,
	"last_scanned_at" timestamp with time zone,
	"sold_at" timestamp with time zone,
	"voided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stamps_status_ck" CHECK ("stamps"."status" in ('issued','active','sold','voided')),
	CONSTRAINT "stamps_code_ck" CHECK ("stamps"."code" ~ '^[0-9A-Z]{12,32}$'),
	CONSTRAINT "stamps_scan_count_ck" CHECK ("stamps"."scan_count" >= 0)
);
--> statement-breakpoint
CREATE TABLE "cart_items" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "cart_items_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"cart_id" text NOT NULL,
	"product_id" integer,
	"combo_id" integer,
	"qty" integer NOT NULL,
	"unit_price_seen" integer NOT NULL,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cart_items_qty_ck" CHECK ("cart_items"."qty" between 1 and 999),
	CONSTRAINT "cart_items_one_ck" CHECK (("cart_items"."product_id" is null) <> ("cart_items"."combo_id" is null))
);
--> statement-breakpoint
CREATE TABLE "carts" (
	"id" text PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "order_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "order_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"order_id" integer NOT NULL,
	"order_part_id" integer,
	"type" text NOT NULL,
	"from_status" text,
	"to_status" text,
	"cause" text,
	"actor" text,
	"data" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "order_items" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "order_items_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"order_part_id" integer NOT NULL,
	"product_id" integer NOT NULL,
	"combo_id" integer,
	"name_vi" text NOT NULL,
	"name_en" text NOT NULL,
	"unit_price" integer NOT NULL,
	"qty" integer NOT NULL,
	"line_total" integer NOT NULL,
	CONSTRAINT "order_items_qty_ck" CHECK ("order_items"."qty" > 0),
	CONSTRAINT "order_items_amounts_ck" CHECK ("order_items"."unit_price" >= 0 and "order_items"."line_total" >= 0)
);
--> statement-breakpoint
CREATE TABLE "order_parts" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "order_parts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"order_id" integer NOT NULL,
	"producer_id" integer NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"subtotal" integer NOT NULL,
	"shipping_fee" integer NOT NULL,
	"weight_grams" integer DEFAULT 0 NOT NULL,
	"carrier" text,
	"tracking_number" text,
	"shipped_at" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "order_parts_amounts_ck" CHECK ("order_parts"."subtotal" >= 0 and "order_parts"."shipping_fee" >= 0),
	CONSTRAINT "order_parts_status_ck" CHECK ("order_parts"."status" in ('pending','preparing','shipped','delivered','cancelled'))
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "orders_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"public_id" text NOT NULL,
	"status" text NOT NULL,
	"payment_method" text NOT NULL,
	"customer_name" text NOT NULL,
	"phone" text NOT NULL,
	"email" text,
	"address_line" text NOT NULL,
	"commune" text NOT NULL,
	"province_code" text NOT NULL,
	"note" text,
	"locale" text DEFAULT 'vi' NOT NULL,
	"subtotal" integer NOT NULL,
	"shipping_total" integer NOT NULL,
	"total" integer NOT NULL,
	"payment_reference" text NOT NULL,
	"reserved_until" timestamp with time zone,
	"stock_released_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "orders_status_ck" CHECK ("orders"."status" in ('pending_payment','paid','processing','shipped','delivered','cancelled','refunded')),
	CONSTRAINT "orders_method_ck" CHECK ("orders"."payment_method" in ('cod','vietqr','card')),
	CONSTRAINT "orders_amounts_ck" CHECK ("orders"."subtotal" >= 0 and "orders"."shipping_total" >= 0 and "orders"."total" = "orders"."subtotal" + "orders"."shipping_total"),
	CONSTRAINT "orders_reference_ck" CHECK ("orders"."payment_reference" ~ '^[A-Z0-9]{6,25}$')
);
--> statement-breakpoint
CREATE TABLE "payments" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "payments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"order_id" integer NOT NULL,
	"provider" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"amount" integer NOT NULL,
	"provider_ref" text,
	"idempotency_key" text,
	"checkout_url" text,
	"expires_at" timestamp with time zone,
	"paid_at" timestamp with time zone,
	"raw" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payments_amount_ck" CHECK ("payments"."amount" >= 0),
	CONSTRAINT "payments_provider_ck" CHECK ("payments"."provider" in ('cod','vietqr','stripe')),
	CONSTRAINT "payments_status_ck" CHECK ("payments"."status" in ('pending','succeeded','failed','cancelled','refunded'))
);
--> statement-breakpoint
CREATE TABLE "payout_entries" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "payout_entries_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"producer_id" integer NOT NULL,
	"order_part_id" integer,
	"kind" text NOT NULL,
	"amount" integer NOT NULL,
	"reference" text,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payout_entries_kind_ck" CHECK ("payout_entries"."kind" in ('credit','fee','settlement','reversal'))
);
--> statement-breakpoint
CREATE TABLE "webhook_events" (
	"id" text PRIMARY KEY NOT NULL,
	"provider" text NOT NULL,
	"type" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "api_tokens_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"user_id" integer NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "rate_limits" (
	"key" text PRIMARY KEY NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	"reset_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"client" text
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "users_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"email" text NOT NULL,
	"name" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" text NOT NULL,
	"producer_id" integer,
	"disabled" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_login_at" timestamp with time zone,
	CONSTRAINT "users_email_ck" CHECK ("users"."email" = lower("users"."email") and "users"."email" like '%@%'),
	CONSTRAINT "users_role_ck" CHECK ("users"."role" in ('producer','admin')),
	CONSTRAINT "users_producer_ck" CHECK (("users"."role" = 'producer') = ("users"."producer_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "outbox_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"topic" text NOT NULL,
	"payload" jsonb NOT NULL,
	"dedupe_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"available_at" timestamp with time zone DEFAULT now() NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"processed_at" timestamp with time zone,
	"last_error" text
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"actor_user_id" integer,
	"actor_email" text,
	"action" text NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "combo_items" ADD CONSTRAINT "combo_items_combo_id_combos_id_fk" FOREIGN KEY ("combo_id") REFERENCES "public"."combos"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "combo_items" ADD CONSTRAINT "combo_items_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "producers" ADD CONSTRAINT "producers_province_code_provinces_code_fk" FOREIGN KEY ("province_code") REFERENCES "public"."provinces"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_subgroups" ADD CONSTRAINT "product_subgroups_group_code_product_groups_code_fk" FOREIGN KEY ("group_code") REFERENCES "public"."product_groups"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_producer_id_producers_id_fk" FOREIGN KEY ("producer_id") REFERENCES "public"."producers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_group_code_product_groups_code_fk" FOREIGN KEY ("group_code") REFERENCES "public"."product_groups"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_subgroup_code_product_subgroups_code_fk" FOREIGN KEY ("subgroup_code") REFERENCES "public"."product_subgroups"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lots" ADD CONSTRAINT "lots_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_evaluation_id_evaluations_id_fk" FOREIGN KEY ("evaluation_id") REFERENCES "public"."evaluations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_supersedes_id_certificates_id_fk" FOREIGN KEY ("supersedes_id") REFERENCES "public"."certificates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_scores" ADD CONSTRAINT "evaluation_scores_evaluation_id_evaluations_id_fk" FOREIGN KEY ("evaluation_id") REFERENCES "public"."evaluations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluations" ADD CONSTRAINT "evaluations_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trace_events" ADD CONSTRAINT "trace_events_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trace_events" ADD CONSTRAINT "trace_events_corrects_event_id_trace_events_id_fk" FOREIGN KEY ("corrects_event_id") REFERENCES "public"."trace_events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scans" ADD CONSTRAINT "scans_stamp_id_stamps_id_fk" FOREIGN KEY ("stamp_id") REFERENCES "public"."stamps"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stamp_runs" ADD CONSTRAINT "stamp_runs_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stamp_runs" ADD CONSTRAINT "stamp_runs_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stamps" ADD CONSTRAINT "stamps_run_id_stamp_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."stamp_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stamps" ADD CONSTRAINT "stamps_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cart_items" ADD CONSTRAINT "cart_items_cart_id_carts_id_fk" FOREIGN KEY ("cart_id") REFERENCES "public"."carts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cart_items" ADD CONSTRAINT "cart_items_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cart_items" ADD CONSTRAINT "cart_items_combo_id_combos_id_fk" FOREIGN KEY ("combo_id") REFERENCES "public"."combos"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_events" ADD CONSTRAINT "order_events_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_events" ADD CONSTRAINT "order_events_order_part_id_order_parts_id_fk" FOREIGN KEY ("order_part_id") REFERENCES "public"."order_parts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_items" ADD CONSTRAINT "order_items_order_part_id_order_parts_id_fk" FOREIGN KEY ("order_part_id") REFERENCES "public"."order_parts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_items" ADD CONSTRAINT "order_items_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_items" ADD CONSTRAINT "order_items_combo_id_combos_id_fk" FOREIGN KEY ("combo_id") REFERENCES "public"."combos"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_parts" ADD CONSTRAINT "order_parts_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_parts" ADD CONSTRAINT "order_parts_producer_id_producers_id_fk" FOREIGN KEY ("producer_id") REFERENCES "public"."producers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_province_code_provinces_code_fk" FOREIGN KEY ("province_code") REFERENCES "public"."provinces"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payout_entries" ADD CONSTRAINT "payout_entries_producer_id_producers_id_fk" FOREIGN KEY ("producer_id") REFERENCES "public"."producers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payout_entries" ADD CONSTRAINT "payout_entries_order_part_id_order_parts_id_fk" FOREIGN KEY ("order_part_id") REFERENCES "public"."order_parts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_producer_id_producers_id_fk" FOREIGN KEY ("producer_id") REFERENCES "public"."producers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "combo_items_product_idx" ON "combo_items" USING btree ("product_id");--> statement-breakpoint
CREATE UNIQUE INDEX "combos_slug_uq" ON "combos" USING btree ("slug");--> statement-breakpoint
CREATE UNIQUE INDEX "producers_slug_uq" ON "producers" USING btree ("slug");--> statement-breakpoint
CREATE UNIQUE INDEX "producers_tax_code_uq" ON "producers" USING btree ("tax_code");--> statement-breakpoint
CREATE INDEX "producers_province_idx" ON "producers" USING btree ("province_code");--> statement-breakpoint
CREATE INDEX "product_subgroups_group_idx" ON "product_subgroups" USING btree ("group_code");--> statement-breakpoint
CREATE UNIQUE INDEX "products_slug_uq" ON "products" USING btree ("slug");--> statement-breakpoint
CREATE UNIQUE INDEX "products_gtin_uq" ON "products" USING btree ("gtin");--> statement-breakpoint
CREATE INDEX "products_producer_idx" ON "products" USING btree ("producer_id");--> statement-breakpoint
CREATE INDEX "products_group_idx" ON "products" USING btree ("group_code","subgroup_code");--> statement-breakpoint
CREATE INDEX "products_status_idx" ON "products" USING btree ("status","published_at");--> statement-breakpoint
CREATE UNIQUE INDEX "lots_product_code_uq" ON "lots" USING btree ("product_id","code");--> statement-breakpoint
CREATE INDEX "lots_product_idx" ON "lots" USING btree ("product_id","produced_on");--> statement-breakpoint
CREATE UNIQUE INDEX "certificates_number_uq" ON "certificates" USING btree ("number");--> statement-breakpoint
CREATE INDEX "certificates_product_idx" ON "certificates" USING btree ("product_id","issued_on");--> statement-breakpoint
CREATE INDEX "certificates_valid_until_idx" ON "certificates" USING btree ("valid_until");--> statement-breakpoint
CREATE INDEX "evaluation_scores_evaluation_idx" ON "evaluation_scores" USING btree ("evaluation_id");--> statement-breakpoint
CREATE INDEX "evaluations_product_idx" ON "evaluations" USING btree ("product_id","evaluated_on");--> statement-breakpoint
CREATE INDEX "trace_events_lot_idx" ON "trace_events" USING btree ("lot_id","occurred_at");--> statement-breakpoint
CREATE INDEX "scans_stamp_idx" ON "scans" USING btree ("stamp_id","scanned_at");--> statement-breakpoint
CREATE INDEX "scans_time_idx" ON "scans" USING btree ("scanned_at");--> statement-breakpoint
CREATE INDEX "stamp_runs_lot_idx" ON "stamp_runs" USING btree ("lot_id");--> statement-breakpoint
CREATE INDEX "stamp_runs_product_idx" ON "stamp_runs" USING btree ("product_id");--> statement-breakpoint
CREATE UNIQUE INDEX "stamps_code_uq" ON "stamps" USING btree ("code");--> statement-breakpoint
CREATE INDEX "stamps_run_idx" ON "stamps" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "stamps_lot_idx" ON "stamps" USING btree ("lot_id");--> statement-breakpoint
CREATE UNIQUE INDEX "cart_items_product_uq" ON "cart_items" USING btree ("cart_id","product_id");--> statement-breakpoint
CREATE UNIQUE INDEX "cart_items_combo_uq" ON "cart_items" USING btree ("cart_id","combo_id");--> statement-breakpoint
CREATE INDEX "carts_expires_idx" ON "carts" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "order_events_order_idx" ON "order_events" USING btree ("order_id","created_at");--> statement-breakpoint
CREATE INDEX "order_items_part_idx" ON "order_items" USING btree ("order_part_id");--> statement-breakpoint
CREATE INDEX "order_items_product_idx" ON "order_items" USING btree ("product_id");--> statement-breakpoint
CREATE UNIQUE INDEX "order_parts_order_producer_uq" ON "order_parts" USING btree ("order_id","producer_id");--> statement-breakpoint
CREATE INDEX "order_parts_producer_idx" ON "order_parts" USING btree ("producer_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "orders_public_id_uq" ON "orders" USING btree ("public_id");--> statement-breakpoint
CREATE UNIQUE INDEX "orders_payment_reference_uq" ON "orders" USING btree ("payment_reference");--> statement-breakpoint
CREATE INDEX "orders_status_idx" ON "orders" USING btree ("status","reserved_until");--> statement-breakpoint
CREATE INDEX "orders_created_idx" ON "orders" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "payments_order_idx" ON "payments" USING btree ("order_id");--> statement-breakpoint
CREATE UNIQUE INDEX "payments_provider_ref_uq" ON "payments" USING btree ("provider","provider_ref");--> statement-breakpoint
CREATE UNIQUE INDEX "payments_idempotency_uq" ON "payments" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "payout_entries_producer_idx" ON "payout_entries" USING btree ("producer_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "payout_entries_part_kind_uq" ON "payout_entries" USING btree ("order_part_id","kind");--> statement-breakpoint
CREATE UNIQUE INDEX "api_tokens_hash_uq" ON "api_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "api_tokens_user_idx" ON "api_tokens" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "rate_limits_reset_idx" ON "rate_limits" USING btree ("reset_at");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "sessions_expires_idx" ON "sessions" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_uq" ON "users" USING btree ("email");--> statement-breakpoint
CREATE INDEX "users_producer_idx" ON "users" USING btree ("producer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_dedupe_uq" ON "outbox" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "outbox_pending_idx" ON "outbox" USING btree ("available_at","id");--> statement-breakpoint
CREATE INDEX "audit_log_entity_idx" ON "audit_log" USING btree ("entity_type","entity_id");--> statement-breakpoint
CREATE INDEX "audit_log_time_idx" ON "audit_log" USING btree ("created_at");