/**
 * npm run db:seed — loads the demo catalogue into an empty database (safe while the site runs).
 * `-- --reset` first drops every table (demo databases only: it asks for no confirmation).
 */
import { sql } from 'drizzle-orm';
import { database, migrateDatabase, closeDatabase } from '../src/lib/db/index.ts';
import { syncReferenceData } from '../src/lib/catalog/reference.sync.ts';
import { isEmpty, seedDemo } from '../db/seed/demo.ts';

const reset = process.argv.includes('--reset');
const started = Date.now();
try {
  const d = await database();
  if (reset) {
    console.log(`Dropping all tables in the ${d.kind} database…`);
    await d.db.execute(sql`drop schema if exists public cascade`);
    await d.db.execute(sql`drop schema if exists drizzle cascade`);
    await d.db.execute(sql`create schema public`);
  }
  await migrateDatabase(d);
  await syncReferenceData(d.db);
  if (!(await isEmpty(d.db))) {
    console.log('The database already has a catalogue: nothing seeded. Run `npm run db:seed -- --reset` to start over.');
  } else {
    let step = 0;
    await seedDemo(d.db, (name) => console.log(`[${++step}/7] ${name}`));
    console.log(`Demo data seeded in ${Date.now() - started} ms.`);
  }
} catch (err) {
  console.error(`Seeding failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  await closeDatabase();
}
