CREATE TABLE "order_idempotency_keys" (
	"key" text PRIMARY KEY NOT NULL,
	"request_hash" text NOT NULL,
	"order_id" integer,
	"response" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "order_idempotency_keys_key_ck" CHECK ("order_idempotency_keys"."key" ~ '^[!-~]{1,255}$')
);
--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "client_network" text;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "refunded_amount" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "order_idempotency_keys" ADD CONSTRAINT "order_idempotency_keys_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "order_idempotency_keys_expires_idx" ON "order_idempotency_keys" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "orders_held_by_network_idx" ON "orders" USING btree ("client_network") WHERE "orders"."status" = 'pending_payment';--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_refunded_ck" CHECK ("payments"."refunded_amount" between 0 and "payments"."amount");