ALTER TABLE "order_items" ADD COLUMN "combo_name_vi" text;--> statement-breakpoint
ALTER TABLE "order_items" ADD COLUMN "combo_name_en" text;--> statement-breakpoint
ALTER TABLE "order_items" ADD COLUMN "combo_qty" integer;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "provider_payment_id" text;--> statement-breakpoint
CREATE INDEX "payments_provider_payment_idx" ON "payments" USING btree ("provider_payment_id");--> statement-breakpoint
ALTER TABLE "order_items" ADD CONSTRAINT "order_items_combo_ck" CHECK (("order_items"."combo_id" is null) = ("order_items"."combo_qty" is null));