-- A revocation's reason as a code from a fixed list (src/lib/certification/revocation.ts) with its
-- label in Vietnamese and English; revocation_reason becomes the office's optional free-text note.
-- Revocations recorded before codes existed keep their text and no code (read as "other").
ALTER TABLE certificates ADD COLUMN revocation_code text;
--> statement-breakpoint
ALTER TABLE certificates ADD CONSTRAINT certificates_revocation_code_ck CHECK (revocation_code IS NULL OR revocation_code IN
  ('packaging_label','quality','process','food_safety','records','mandatory_criteria','expired_no_reevaluation','ceased_operating','other'));
--> statement-breakpoint
ALTER TABLE certificates DROP CONSTRAINT certificates_revoked_ck;
--> statement-breakpoint
ALTER TABLE certificates ADD CONSTRAINT certificates_revoked_ck CHECK ((status = 'revoked') = (revoked_at IS NOT NULL AND (revocation_code IS NOT NULL OR revocation_reason IS NOT NULL)));
