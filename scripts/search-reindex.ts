/**
 * npm run search:reindex — rebuilds the search index from the database, safe while the site
 * serves: the PostgreSQL index is rebuilt in one transaction (readers see the old index until it
 * commits), and with MEILI_HOST a new Meilisearch index is built beside the live one and swapped in.
 */
import { closeDatabase, database, migrateDatabase } from '../src/lib/db/index.ts';
import { config } from '../src/lib/config/index.ts';
import { MeilisearchBackend, rebuildPostgresIndex } from '../src/lib/search/index.ts';

function progressBar(label: string) {
  const started = Date.now();
  let lastLine = 0;
  return (done: number, total: number) => {
    const ratio = total === 0 ? 1 : done / total;
    const width = 30;
    const bar = '█'.repeat(Math.round(ratio * width)).padEnd(width, '░');
    const line = `${label} ${bar} ${String(Math.round(ratio * 100)).padStart(3)}% ${done}/${total} products ${((Date.now() - started) / 1000).toFixed(1)} s`;
    if (process.stdout.isTTY) process.stdout.write(`\r${line}${done >= total ? '\n' : ''}`);
    else if (done >= total || Date.now() - lastLine > 1000) {
      console.log(line);
      lastLine = Date.now();
    }
  };
}

try {
  const d = await database();
  await migrateDatabase(d);
  const listed = await rebuildPostgresIndex(d.db, progressBar(`PostgreSQL (${d.kind})`));
  console.log(`PostgreSQL index: ${listed} listed products.`);
  const { MEILI_HOST, MEILI_API_KEY } = config();
  if (MEILI_HOST) {
    const meili = new MeilisearchBackend(MEILI_HOST, MEILI_API_KEY);
    if (!(await meili.isReachable())) throw new Error(`MEILI_HOST is set but nothing answers at ${MEILI_HOST}`);
    const sent = await meili.rebuild(d.db, progressBar('Meilisearch'));
    console.log(`Meilisearch index "${meili.indexUid}": ${sent} documents, swapped in.`);
  }
} catch (err) {
  console.error(`Reindex failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  await closeDatabase();
}
