/** npm run db:migrate — applies the committed migrations and reference data (safe while the site runs). */
import { database, migrateDatabase, closeDatabase } from '../src/lib/db/index.ts';
import { syncReferenceData } from '../src/lib/catalog/reference.sync.ts';

const started = Date.now();
try {
  const d = await database();
  process.stdout.write(`Migrating the ${d.kind} database… `);
  await migrateDatabase(d);
  await syncReferenceData(d.db);
  console.log(`done in ${Date.now() - started} ms.`);
} catch (err) {
  console.error(`\nMigration failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  await closeDatabase();
}
