CREATE TABLE "search_documents" (
	"product_id" integer PRIMARY KEY NOT NULL,
	"producer_id" integer NOT NULL,
	"producer_slug" text NOT NULL,
	"group_code" text NOT NULL,
	"subgroup_code" text NOT NULL,
	"province_code" text NOT NULL,
	"price" integer NOT NULL,
	"featured" boolean DEFAULT false NOT NULL,
	"published_at" timestamp with time zone,
	"cert_stars" integer,
	"badge_until" date,
	"name_lower" text NOT NULL,
	"name_folded" text NOT NULL,
	"tsv" "tsvector" NOT NULL,
	"tsv_head" "tsvector" NOT NULL,
	"indexed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "search_terms" (
	"term" text PRIMARY KEY NOT NULL
);
--> statement-breakpoint
ALTER TABLE "search_documents" ADD CONSTRAINT "search_documents_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "search_documents_tsv_idx" ON "search_documents" USING gin ("tsv");--> statement-breakpoint
CREATE INDEX "search_documents_group_idx" ON "search_documents" USING btree ("group_code","subgroup_code");--> statement-breakpoint
CREATE INDEX "search_documents_province_idx" ON "search_documents" USING btree ("province_code");--> statement-breakpoint
CREATE INDEX "search_documents_producer_idx" ON "search_documents" USING btree ("producer_id");--> statement-breakpoint
CREATE INDEX "search_documents_price_idx" ON "search_documents" USING btree ("price");--> statement-breakpoint
CREATE INDEX "search_documents_published_idx" ON "search_documents" USING btree ("published_at");--> statement-breakpoint
CREATE INDEX "search_documents_relevance_idx" ON "search_documents" USING btree ("featured","cert_stars","product_id");