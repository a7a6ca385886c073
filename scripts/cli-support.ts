import { database, migrateDatabase } from '../src/lib/db/index.ts';
import { syncReferenceData } from '../src/lib/catalog/reference.sync.ts';

/** CLIs: the database at the current schema (migrations are serialised, so this is safe while the site runs). */
export async function ensureDatabase() {
  const d = await database();
  await migrateDatabase(d);
  await syncReferenceData(d.db);
  return d;
}
