/**
 * npm run certs:notify — queues the expiry notices (outbox topic "certificate.expiry_notice") of
 * active certificates expiring within 90 and within 30 days, exactly once per certificate and
 * threshold: safe to run daily, twice, or on two machines at once. Works while the site is
 * running. The site runs the same job by itself (lib/messages schedules); this is the manual trigger.
 */
import { closeDatabase, database, migrateDatabase } from '../src/lib/db/index.ts';
import { queueExpiryNotices } from '../src/lib/certification/index.ts';

try {
  await migrateDatabase(await database());
  const result = await queueExpiryNotices(undefined, (done, total) => {
    if (process.stdout.isTTY) process.stdout.write(`\r[${done}/${total}] certificates checked`);
  });
  if (process.stdout.isTTY && result.due > 0) process.stdout.write('\n');
  console.log(`${result.due} expiry notice(s) due (certificates expiring within 90 or 30 days): ${result.queued} queued, ${result.alreadyQueued} already queued before.`);
} catch (err) {
  console.error(`certs:notify failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  await closeDatabase();
}
