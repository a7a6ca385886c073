import cluster from 'node:cluster';
import { config } from '../config/index.ts';
import { database, migrateDatabase, onDatabaseClose, type Database } from '../db/index.ts';
import { startOutboxWorker } from '../outbox/index.ts';
import { registerOrderHandlers } from '../orders/index.ts';
import { startMessaging } from '../messages/index.ts';
import { syncReferenceData } from '../catalog/reference.sync.ts';
import { DEMO_ADMIN_EMAIL, DEMO_PASSWORD, hasDemoAccounts, isEmpty, seedDemo } from '../../../db/seed/demo.ts';
import { sampleStampCode } from '../stamps/index.ts';
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

/** Start-up progress for a person watching the terminal (scripts/start.ts prints it). */
export type Progress = (message: string) => void;

export function ensureReady(progress: Progress = () => {}): Promise<Database> {
  holder[KEY] ??= prepare(progress).catch((err) => {
    delete holder[KEY];
    throw err;
  });
  return holder[KEY];
}

async function prepare(progress: Progress): Promise<Database> {
  // A web worker of scripts/start.ts (WEB_CONCURRENCY > 1) only serves: the primary process has
  // migrated, seeded, built the search indexes and runs the outbox worker, messaging and
  // schedules for all of them.
  if (cluster.isWorker) {
    const d = await database();
    await prepareSearch(d.db, { fill: false });
    return d;
  }
  const started = Date.now();
  const step = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    progress(`  ${what}…`);
    const result = await run();
    progress(`  ${what}: done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return result;
  };
  const d = await step(config().DATABASE_URL ? 'Connecting to PostgreSQL' : `Opening the embedded database in ${config().dataDir}`, database);
  await step('Applying database migrations', () => migrateDatabase(d));
  await step('Loading reference data (provinces, product groups)', () => syncReferenceData(d.db));
  if (config().seedDemo && (await isEmpty(d.db))) {
    log.info('seeding demo data into the empty database');
    await step('Seeding the demo catalogue (first start only)', () => seedDemo(d.db, (s) => {
      log.debug(`seed: ${s}`);
      progress(`    ${s}`);
    }));
  }
  await step('Preparing the search index', () => prepareSearch(d.db));
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

/**
 * What a newcomer can try once the site is up (printed by scripts/start.ts): the pages, the demo
 * sign-ins when the demo data is there, and a stamp to scan.
 */
export async function startupTour(base: string): Promise<string[]> {
  const d = await ensureReady();
  const stamp = await sampleStampCode(d.db).catch(() => null);
  const demo = await hasDemoAccounts(d.db).catch(() => false);
  const lines = [
    `  Shop (Vietnamese):  ${base}/`,
    `  Shop (English):     ${base}/en`,
    ...(stamp ? [`  Scan a stamp:       ${base}/t/${stamp}`] : []),
    `  Verify a code:      ${base}/verify`,
    `  Sign in:            ${base}/login`,
  ];
  if (demo) {
    lines.push(`  Demo sign-ins (password ${DEMO_PASSWORD}):`);
    lines.push(`    OCOP office  ${DEMO_ADMIN_EMAIL}  → ${base}/admin`);
    lines.push(`    a producer   cong-ty-le-gia@ocop.local  → ${base}/dashboard`);
  }
  return lines;
}
