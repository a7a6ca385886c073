ALTER TABLE "stamps" DROP CONSTRAINT "stamps_status_ck";--> statement-breakpoint
ALTER TABLE "stamps" ADD COLUMN "scan_days" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "stamps" ADD CONSTRAINT "stamps_scan_days_ck" CHECK ("stamps"."scan_days" >= 0 and "stamps"."scan_days" <= "stamps"."scan_count");--> statement-breakpoint
ALTER TABLE "stamps" ADD CONSTRAINT "stamps_status_ck" CHECK ("stamps"."status" in ('issued','active','sold','verified','voided'));