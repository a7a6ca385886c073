import { spawnSync, type ChildProcess } from 'node:child_process';
import { startServer, stop } from './server.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { createDatabase, dropDatabase } from './pg-admin.ts';
import { startFakeStripe, STRIPE_TEST_ENV } from './fake-stripe.ts';

/**
 * Builds the site once and starts it the way `npm start` does: on a fresh PGlite directory and,
 * when TEST_DATABASE_URL is set, on a fresh PostgreSQL database. HTTP and browser tests run
 * against every server started here.
 */
const root = process.cwd();

export default async function setup(project: TestProject) {
  const build = spawnSync(process.execPath, [path.join(root, 'node_modules/astro/bin/astro.mjs'), 'build'], { stdio: ['ignore', 'ignore', 'inherit'], cwd: root });
  if (build.status !== 0) throw new Error('astro build failed');

  // Card payments on: the servers talk to a local stand-in for Stripe's API (ordering issue).
  const stripe = await startFakeStripe();
  const stripeEnv = { ...STRIPE_TEST_ENV, STRIPE_API_BASE: stripe.url };
  const started: Array<{ child: ChildProcess; cleanup: () => Promise<void> }> = [];
  const servers: Array<{ name: 'pglite' | 'postgres'; url: string; dataDir?: string; databaseUrl?: string }> = [];
  try {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-http-'));
    const pglite = await startServer({ DATA_DIR: dataDir, DATABASE_URL: '', ...stripeEnv });
    started.push({ child: pglite.child, cleanup: async () => fs.rmSync(dataDir, { recursive: true, force: true }) });
    servers.push({ name: 'pglite', url: pglite.url, dataDir });

    if (process.env.TEST_DATABASE_URL) {
      // One database per project that runs this setup ('http' and 'quiet' both do, in the same
      // process): a shared name let the second setup drop and re-create the first one's database
      // under its running server, whose pool then reconnected to the other project's data (and its
      // outbox worker called the other project's Stripe stand-in).
      const name = `ocop_http_${process.pid}_${project.name.replace(/\W/g, '_')}`;
      const databaseUrl = await createDatabase(name);
      const pgData = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-http-pg-'));
      // One serving process, like the embedded server beside it: these suites check what one process
      // shows at once (scan counts, page-cache hits); several processes are tests/http/workers.test.ts
      // and the nginx deployment test (two instances, each with its default WEB_CONCURRENCY).
      const pg = await startServer({ DATA_DIR: pgData, DATABASE_URL: databaseUrl, SEED_DEMO: '1', WEB_CONCURRENCY: '1', ...stripeEnv });
      started.push({ child: pg.child, cleanup: async () => { await dropDatabase(name); fs.rmSync(pgData, { recursive: true, force: true }); } });
      servers.push({ name: 'postgres', url: pg.url, dataDir: pgData, databaseUrl });
    }
  } catch (err) {
    for (const s of started) await stop(s.child);
    await stripe.close();
    throw err;
  }
  project.provide('servers', servers);
  project.provide('stripe', { url: stripe.url, webhookSecret: STRIPE_TEST_ENV.STRIPE_WEBHOOK_SECRET });
  return async () => {
    for (const s of started) {
      await stop(s.child);
      await s.cleanup();
    }
    await stripe.close();
  };
}
