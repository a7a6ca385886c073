-- One sellability rule (src/lib/catalog/sellability.ts), combos as one parcel from an assembler,
-- gift orders, and office approval of new products.
--
-- Recalled lots: the monitor engineer's migration adds exactly these two columns the same way
-- (IF NOT EXISTS), and owns the recall workflow; the catalogue only reads them.
ALTER TABLE lots ADD COLUMN IF NOT EXISTS recalled_at timestamptz;
--> statement-breakpoint
ALTER TABLE lots ADD COLUMN IF NOT EXISTS recall_reason text;
--> statement-breakpoint
-- Products created by a producer wait for the office: 'pending' until approved (or 'rejected').
-- Existing and seeded products were published by the office: they count as approved.
ALTER TABLE products ADD COLUMN IF NOT EXISTS approval text NOT NULL DEFAULT 'approved';
--> statement-breakpoint
ALTER TABLE products ADD COLUMN IF NOT EXISTS approval_note text;
--> statement-breakpoint
ALTER TABLE products ADD COLUMN IF NOT EXISTS approved_at timestamptz;
--> statement-breakpoint
ALTER TABLE products ADD COLUMN IF NOT EXISTS approved_by text;
--> statement-breakpoint
ALTER TABLE products DROP CONSTRAINT IF EXISTS products_approval_ck;
--> statement-breakpoint
ALTER TABLE products ADD CONSTRAINT products_approval_ck CHECK (approval in ('pending','approved','rejected'));
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS products_approval_idx ON products (approval, created_at) WHERE approval <> 'approved';
--> statement-breakpoint
-- Combos: who packs the box (a producer for now; a point of sale later as a second nullable
-- column with a check that exactly one is set), who owns it (a producer, or the office when
-- null), the occasion, a story, and the picture composed from the components' pictures.
ALTER TABLE combos ADD COLUMN IF NOT EXISTS assembler_producer_id integer REFERENCES producers(id);
--> statement-breakpoint
ALTER TABLE combos ADD COLUMN IF NOT EXISTS owner_producer_id integer REFERENCES producers(id);
--> statement-breakpoint
ALTER TABLE combos ADD COLUMN IF NOT EXISTS occasion text NOT NULL DEFAULT 'gift';
--> statement-breakpoint
ALTER TABLE combos ADD COLUMN IF NOT EXISTS place text;
--> statement-breakpoint
ALTER TABLE combos ADD COLUMN IF NOT EXISTS story_vi text NOT NULL DEFAULT '';
--> statement-breakpoint
ALTER TABLE combos ADD COLUMN IF NOT EXISTS story_en text NOT NULL DEFAULT '';
--> statement-breakpoint
ALTER TABLE combos ADD COLUMN IF NOT EXISTS composite_image jsonb;
--> statement-breakpoint
ALTER TABLE combos DROP CONSTRAINT IF EXISTS combos_occasion_ck;
--> statement-breakpoint
ALTER TABLE combos ADD CONSTRAINT combos_occasion_ck CHECK (occasion in ('tet','trung_thu','souvenir','gift'));
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS combos_owner_idx ON combos (owner_producer_id);
--> statement-breakpoint
-- Existing combos are packed by the producer of their first component.
UPDATE combos c SET assembler_producer_id = (
  SELECT p.producer_id FROM combo_items ci JOIN products p ON p.id = ci.product_id
  WHERE ci.combo_id = c.id ORDER BY p.id LIMIT 1)
WHERE c.assembler_producer_id IS NULL;
--> statement-breakpoint
-- Gift orders: the buyer is the customer; the parcel goes to the recipient with a message
-- printed on the packing slip (never prices).
ALTER TABLE orders ADD COLUMN IF NOT EXISTS gift_recipient_name text;
--> statement-breakpoint
ALTER TABLE orders ADD COLUMN IF NOT EXISTS gift_recipient_phone text;
--> statement-breakpoint
ALTER TABLE orders ADD COLUMN IF NOT EXISTS gift_message text;
--> statement-breakpoint
ALTER TABLE orders DROP CONSTRAINT IF EXISTS orders_gift_ck;
--> statement-breakpoint
ALTER TABLE orders ADD CONSTRAINT orders_gift_ck CHECK ((gift_recipient_name IS NULL) = (gift_recipient_phone IS NULL)
  AND (gift_message IS NULL OR gift_recipient_name IS NOT NULL));
--> statement-breakpoint
-- A parcel (order part) holds a combo's components from several producers: each producer is
-- credited its own share of the part, so the ledger's uniqueness is per part, producer and kind.
DROP INDEX IF EXISTS payout_entries_part_kind_uq;
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS payout_entries_part_producer_kind_uq ON payout_entries (order_part_id, producer_id, kind);
--> statement-breakpoint
-- A suspension's date and reason, for the provenance page and /api/trace ("suspended since …, because …").
ALTER TABLE producers ADD COLUMN IF NOT EXISTS suspended_at timestamptz;
--> statement-breakpoint
ALTER TABLE producers ADD COLUMN IF NOT EXISTS suspension_reason text;
