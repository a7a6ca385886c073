-- Messages to customers, producers and the office (src/lib/messages): every e-mail or SMS is a row,
-- created from an outbox message of the change that caused it and delivered by a worker with
-- retries; with no transport configured it is kept ('stored') and shown in /admin/messages.
CREATE TABLE IF NOT EXISTS messages (
  id bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
  kind text NOT NULL,
  audience text NOT NULL,
  channel text NOT NULL,
  recipient text NOT NULL,
  locale text NOT NULL DEFAULT 'vi',
  subject text NOT NULL,
  body_text text NOT NULL,
  body_html text,
  transactional boolean NOT NULL DEFAULT true,
  dedupe_key text NOT NULL,
  ref text,
  status text NOT NULL DEFAULT 'queued',
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  claimed_until timestamptz,
  uncertain_sends integer NOT NULL DEFAULT 0,
  provider_message_id text,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  CONSTRAINT messages_channel_ck CHECK (channel IN ('email', 'sms')),
  CONSTRAINT messages_audience_ck CHECK (audience IN ('customer', 'producer', 'office')),
  CONSTRAINT messages_status_ck CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'stored', 'suppressed')),
  CONSTRAINT messages_locale_ck CHECK (locale IN ('vi', 'en')),
  CONSTRAINT messages_attempts_ck CHECK (attempts >= 0 AND uncertain_sends >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS messages_dedupe_uq ON messages (dedupe_key);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS messages_due_idx ON messages (next_attempt_at, id) WHERE status IN ('queued', 'sending');
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS messages_created_idx ON messages (created_at DESC, id DESC);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS messages_recipient_idx ON messages (recipient, created_at DESC);
--> statement-breakpoint
-- A producer's channels for its notices (no row: e-mail only).
CREATE TABLE IF NOT EXISTS message_preferences (
  producer_id integer PRIMARY KEY REFERENCES producers(id) ON DELETE CASCADE,
  email boolean NOT NULL DEFAULT true,
  sms boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
-- Addresses that unsubscribed from non-transactional messages (one-click List-Unsubscribe).
CREATE TABLE IF NOT EXISTS message_opt_outs (
  address text PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
-- Jobs that run by themselves (expiry notices, VietQR reminders, the office digest, low stock):
-- when each is next due and who holds it, so one instance runs it and a restart catches up.
CREATE TABLE IF NOT EXISTS schedule_state (
  name text PRIMARY KEY,
  next_run_at timestamptz NOT NULL,
  last_run_at timestamptz,
  last_finished_at timestamptz,
  running_until timestamptz,
  last_error text,
  runs integer NOT NULL DEFAULT 0
);
--> statement-breakpoint
-- Low-stock notices: one per product until it is restocked above the threshold.
CREATE TABLE IF NOT EXISTS low_stock_notices (
  product_id integer PRIMARY KEY REFERENCES products(id) ON DELETE CASCADE,
  stock integer NOT NULL,
  notified_at timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
-- "Find my order" looks orders up by the customer's e-mail or phone.
CREATE INDEX IF NOT EXISTS orders_email_lookup_idx ON orders (lower(email)) WHERE email IS NOT NULL;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS orders_phone_lookup_idx ON orders (phone);
