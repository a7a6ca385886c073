-- Points of sale (điểm bán / điểm trưng bày OCOP), their staff and counter sales; bookable
-- sessions of community-tourism experiences (group 6). Issue 13 items 3–5.
--
-- Recalled lots: the same two columns the monitoring work adds (IF NOT EXISTS, so whichever
-- migration runs second changes nothing); a stamp of a recalled lot cannot be sold at a counter.
ALTER TABLE lots ADD COLUMN IF NOT EXISTS recalled_at timestamptz;
--> statement-breakpoint
ALTER TABLE lots ADD COLUMN IF NOT EXISTS recall_reason text;
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS points_of_sale (
  id integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
  slug text NOT NULL,
  kind text NOT NULL,
  name_vi text NOT NULL,
  name_en text NOT NULL,
  description_vi text NOT NULL DEFAULT '',
  description_en text NOT NULL DEFAULT '',
  province_code text NOT NULL REFERENCES provinces(code),
  commune text NOT NULL,
  address_line text NOT NULL,
  historical_address text,
  hours_vi text NOT NULL DEFAULT '',
  hours_en text NOT NULL DEFAULT '',
  phone text,
  latitude double precision,
  longitude double precision,
  status text NOT NULL DEFAULT 'open',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT points_of_sale_slug_ck CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 80),
  CONSTRAINT points_of_sale_kind_ck CHECK (kind IN ('ocop_shop','showroom','hotel','airport','tourist_site','supermarket')),
  CONSTRAINT points_of_sale_status_ck CHECK (status IN ('open','closed')),
  CONSTRAINT points_of_sale_coords_ck CHECK ((latitude IS NULL) = (longitude IS NULL)
    AND (latitude IS NULL OR (latitude BETWEEN -90 AND 90 AND longitude BETWEEN -180 AND 180)))
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS points_of_sale_slug_uq ON points_of_sale (slug);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS points_of_sale_province_idx ON points_of_sale (province_code, kind);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS point_of_sale_products (
  point_of_sale_id integer NOT NULL REFERENCES points_of_sale(id) ON DELETE CASCADE,
  product_id integer NOT NULL REFERENCES products(id),
  PRIMARY KEY (point_of_sale_id, product_id)
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS point_of_sale_products_product_idx ON point_of_sale_products (product_id);
--> statement-breakpoint
-- Counter staff: an account with role 'pos' works for exactly one point of sale.
ALTER TABLE users DROP CONSTRAINT IF EXISTS users_role_ck;
--> statement-breakpoint
ALTER TABLE users ADD CONSTRAINT users_role_ck CHECK (role IN ('producer','admin','pos'));
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS point_of_sale_staff (
  user_id integer PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  point_of_sale_id integer NOT NULL REFERENCES points_of_sale(id)
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS point_of_sale_staff_pos_idx ON point_of_sale_staff (point_of_sale_id);
--> statement-breakpoint
-- Where a sold stamp was sold (a snapshot, so a later rename does not rewrite history); read by
-- the provenance page with the stamp.
ALTER TABLE stamps ADD COLUMN IF NOT EXISTS sold_place jsonb;
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS counter_sales (
  id bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
  point_of_sale_id integer NOT NULL REFERENCES points_of_sale(id),
  stamp_id bigint NOT NULL REFERENCES stamps(id),
  product_id integer NOT NULL REFERENCES products(id),
  lot_id integer NOT NULL REFERENCES lots(id),
  sold_by integer REFERENCES users(id) ON DELETE SET NULL,
  sold_at timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
-- A stamp is sold once, whatever races.
CREATE UNIQUE INDEX IF NOT EXISTS counter_sales_stamp_uq ON counter_sales (stamp_id);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS counter_sales_pos_idx ON counter_sales (point_of_sale_id, sold_at);
--> statement-breakpoint
-- Experiences: the cancellation cut-off per experience, and dated sessions with capacity.
CREATE TABLE IF NOT EXISTS experience_policies (
  product_id integer PRIMARY KEY REFERENCES products(id),
  cancel_cutoff_hours integer NOT NULL DEFAULT 24,
  CONSTRAINT experience_policies_cutoff_ck CHECK (cancel_cutoff_hours BETWEEN 0 AND 720)
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS experience_sessions (
  id integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
  product_id integer NOT NULL REFERENCES products(id),
  starts_on date NOT NULL,
  starts_at time,
  capacity integer NOT NULL,
  booked integer NOT NULL DEFAULT 0,
  price_per_person integer NOT NULL,
  status text NOT NULL DEFAULT 'open',
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT experience_sessions_capacity_ck CHECK (capacity BETWEEN 1 AND 1000),
  -- the last line of defence against overbooking
  CONSTRAINT experience_sessions_booked_ck CHECK (booked >= 0 AND booked <= capacity),
  CONSTRAINT experience_sessions_price_ck CHECK (price_per_person >= 0 AND price_per_person <= 100000000),
  CONSTRAINT experience_sessions_status_ck CHECK (status IN ('open','cancelled'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS experience_sessions_slot_uq ON experience_sessions (product_id, starts_on, coalesce(starts_at, '00:00'::time));
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS bookings (
  id integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
  session_id integer NOT NULL REFERENCES experience_sessions(id),
  order_id integer NOT NULL REFERENCES orders(id),
  order_part_id integer NOT NULL REFERENCES order_parts(id),
  party_size integer NOT NULL,
  status text NOT NULL DEFAULT 'held',
  created_at timestamptz NOT NULL DEFAULT now(),
  cancelled_at timestamptz,
  CONSTRAINT bookings_party_ck CHECK (party_size BETWEEN 1 AND 99),
  CONSTRAINT bookings_status_ck CHECK (status IN ('held','cancelled'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS bookings_part_session_uq ON bookings (order_part_id, session_id);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS bookings_session_idx ON bookings (session_id, status);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS bookings_order_idx ON bookings (order_id);
--> statement-breakpoint
-- Public pages read these: their changes advance the page cache's generation (0011).
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['points_of_sale', 'point_of_sale_products', 'experience_sessions', 'experience_policies'] LOOP
    EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', t || '_page_cache_generation', t);
    EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', t || '_page_cache_generation_truncate', t);
    EXECUTE format('CREATE CONSTRAINT TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION generation_bump(%L)', t || '_page_cache_generation', t, 'page_cache_generation');
    EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION generation_bump(%L)',
      t || '_page_cache_generation_truncate', t, 'page_cache_generation');
  END LOOP;
END $$;
