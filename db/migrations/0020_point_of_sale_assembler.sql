-- A point of sale packs gift boxes (issue 13 item 1; lib/catalog/README.md "Adding a point of sale
-- as assembler"): a combo names at most one assembler (a producer or a point of sale) and at most
-- one owner (a producer, a point of sale, or the office when neither); a parcel (order part) is
-- shipped by exactly one of a producer or a point of sale, and the payout ledger owes each row to
-- exactly one of them (the point of sale is credited the shipping fee of the boxes it packs).
ALTER TABLE combos ADD COLUMN IF NOT EXISTS assembler_point_id integer REFERENCES points_of_sale(id);
--> statement-breakpoint
ALTER TABLE combos ADD COLUMN IF NOT EXISTS owner_point_id integer REFERENCES points_of_sale(id);
--> statement-breakpoint
ALTER TABLE combos DROP CONSTRAINT IF EXISTS combos_one_assembler_ck;
--> statement-breakpoint
ALTER TABLE combos ADD CONSTRAINT combos_one_assembler_ck CHECK (num_nonnulls(assembler_producer_id, assembler_point_id) <= 1);
--> statement-breakpoint
ALTER TABLE combos DROP CONSTRAINT IF EXISTS combos_one_owner_ck;
--> statement-breakpoint
ALTER TABLE combos ADD CONSTRAINT combos_one_owner_ck CHECK (num_nonnulls(owner_producer_id, owner_point_id) <= 1);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS combos_owner_point_idx ON combos (owner_point_id) WHERE owner_point_id IS NOT NULL;
--> statement-breakpoint
ALTER TABLE order_parts ADD COLUMN IF NOT EXISTS point_of_sale_id integer REFERENCES points_of_sale(id);
--> statement-breakpoint
ALTER TABLE order_parts ALTER COLUMN producer_id DROP NOT NULL;
--> statement-breakpoint
ALTER TABLE order_parts DROP CONSTRAINT IF EXISTS order_parts_one_shipper_ck;
--> statement-breakpoint
ALTER TABLE order_parts ADD CONSTRAINT order_parts_one_shipper_ck CHECK (num_nonnulls(producer_id, point_of_sale_id) = 1);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS order_parts_order_point_uq ON order_parts (order_id, point_of_sale_id) WHERE point_of_sale_id IS NOT NULL;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS order_parts_point_idx ON order_parts (point_of_sale_id, status) WHERE point_of_sale_id IS NOT NULL;
--> statement-breakpoint
ALTER TABLE payout_entries ADD COLUMN IF NOT EXISTS point_of_sale_id integer REFERENCES points_of_sale(id);
--> statement-breakpoint
ALTER TABLE payout_entries ALTER COLUMN producer_id DROP NOT NULL;
--> statement-breakpoint
ALTER TABLE payout_entries DROP CONSTRAINT IF EXISTS payout_entries_one_payee_ck;
--> statement-breakpoint
ALTER TABLE payout_entries ADD CONSTRAINT payout_entries_one_payee_ck CHECK (num_nonnulls(producer_id, point_of_sale_id) = 1);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS payout_entries_part_point_kind_uq ON payout_entries (order_part_id, point_of_sale_id, kind) WHERE point_of_sale_id IS NOT NULL;
--> statement-breakpoint
-- A bank transfer sent back by the office is recorded once per order (lib/orders bank-refund.ts).
CREATE UNIQUE INDEX IF NOT EXISTS order_events_bank_refund_uq ON order_events (order_id) WHERE type = 'refund' AND cause = 'bank_transfer_refunded';
