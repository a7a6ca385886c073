/**
 * npm run certs:notify — queues an expiry notice (outbox topic "certificate.expiry_notice") for
 * every active certificate that expires within 30 days, exactly once per certificate: safe to
 * run daily, twice, or on two machines at once. Works while the site is running.
 */
import { closeDatabase, database, migrateDatabase } from '../src/lib/db/index.ts';
import { queueExpiryNotices } from '../src/lib/certification/index.ts';

try {
  await migrateDatabase(await database());
  const result = await queueExpiryNotices(undefined, (done, total) => {
    if (process.stdout.isTTY) process.stdout.write(`\r[${done}/${total}] certificates checked`);
  });
  if (process.stdout.isTTY && result.due > 0) process.stdout.write('\n');
  console.log(`${result.due} certificate(s) expire within 30 days: ${result.queued} notice(s) queued, ${result.alreadyQueued} already queued before.`);
} catch (err) {
  console.error(`certs:notify failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  await closeDatabase();
}
