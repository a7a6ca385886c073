import { config } from '../config/index.ts';
import { database, migrateDatabase, onDatabaseClose, type Database } from '../db/index.ts';
import { startOutboxWorker } from '../outbox/index.ts';
import { registerOrderHandlers } from '../orders/index.ts';
import { startMessaging } from '../messages/index.ts';
import { syncReferenceData } from '../catalog/reference.sync.ts';
import { isEmpty, seedDemo } from '../../../db/seed/demo.ts';
import { log } from '../log/index.ts';
import { prepareSearch, registerSearchIndexing } from '../search/index.ts';

/**
 * Brings the database to a usable state once per process: migrations (serialised across
 * processes), reference data, and the demo catalogue into an empty database when SEED_DEMO is on
 * (the default for the embedded database). Pages call it through middleware; the start script
 * calls it before listening so the first visitor does not wait.
 */
const KEY = Symbol.for('cho-ocop.ready');
type Holder = { [KEY]?: Promise<Database> };
const holder = globalThis as Holder;

export function ensureReady(): Promise<Database> {
  holder[KEY] ??= prepare().catch((err) => {
    delete holder[KEY];
    throw err;
  });
  return holder[KEY];
}

async function prepare(): Promise<Database> {
  const started = Date.now();
  const d = await database();
  await migrateDatabase(d);
  await syncReferenceData(d.db);
  if (config().seedDemo && (await isEmpty(d.db))) {
    log.info('seeding demo data into the empty database');
    await seedDemo(d.db, (step) => log.debug(`seed: ${step}`));
  }
  await prepareSearch(d.db);
  log.info(`database ready (${d.kind}) in ${Date.now() - started} ms`);
  // Outbox consumers (search indexing, notifications) register their handlers in their modules;
  // the worker delivers to whatever is registered.
  registerSearchIndexing();
  registerOrderHandlers();
  // Messages: consumers of order, certificate, recall and report announcements; the delivery
  // worker; the scheduled jobs (expiry notices, VietQR reminders, the office digest, low stock).
  const messaging = startMessaging();
  const worker = startOutboxWorker();
  onDatabaseClose(async () => {
    await worker.stop();
    await messaging.stop();
  });
  return d;
}

/** Forget readiness (tests that swap databases). */
export function resetReady(): void {
  delete holder[KEY];
}
