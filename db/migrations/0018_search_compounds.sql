-- Search documents now index two-syllable compounds ("chế biến") as one token (src/lib/search/compounds.json).
-- Emptying the index makes the next start-up rebuild it (ensurePostgresIndex) with the new documents.
DELETE FROM "search_terms";--> statement-breakpoint
DELETE FROM "search_documents";
