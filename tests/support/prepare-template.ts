/**
 * Runs in a child process: migrates and seeds the database named by the environment
 * (DATABASE_URL or DATA_DIR) and exits, leaving a template for the test files to copy.
 */
import { ensureReady } from '../../src/lib/app/index.ts';
import { closeDatabase } from '../../src/lib/db/index.ts';

await ensureReady();
await closeDatabase();
