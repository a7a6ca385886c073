import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const postgres = process.env.TEST_DATABASE_URL;
if (!postgres) {
  console.log('Note: TEST_DATABASE_URL is not set, so the PostgreSQL-server runs are skipped (PGlite runs still run). .ci/run sets it.');
}

// One stamp secret for the whole run: templates are seeded in other processes than the tests.
process.env.STAMP_SECRET ??= 'test-stamp-secret-not-for-production';
process.env.LOG_LEVEL ??= 'warn';
// The suites place hundreds of orders from 127.0.0.1 (races for the last units, crash and fuzz
// runs): the ordering limits stay on, well above that. In-process tests read these; the HTTP test
// servers inherit them (tests/support/server.ts). The limits themselves are tested with low values
// (tests/integration/order-limits.test.ts, tests/http/order-limits.test.ts).
process.env.ORDERS_PER_NETWORK_HOUR ??= '100000';
process.env.HELD_ORDERS_PER_NETWORK ??= '100000';
process.env.HELD_UNITS_PER_NETWORK ??= '100000';
// Scheduled jobs (lib/messages: expiry notices, VietQR reminders, digest, low stock) would act on
// the shared demo data at every start; tests that exercise them turn them on (SCHEDULES=1).
process.env.SCHEDULES ??= '0';
process.env.ORDER_LOOKUPS_PER_NETWORK_HOUR ??= '100000';
// Group 1 for every project but 'quiet' (2). Not 0: vitest puts projects of group 0 that run one
// worker at a time (the default on a 2-core machine) in a group of their own that runs after
// every numbered group, which would put 'quiet' first.
const common = { setupFiles: ['tests/support/setup.ts'], sequence: { groupOrder: 1 } };
/** Measurements that need an otherwise idle machine. */
const QUIET = ['tests/e2e/lighthouse.test.ts'];

export default defineConfig({
  root,
  test: {
    reporters: ['default', './tests/support/summary-reporter.ts'],
    testTimeout: 20_000,
    hookTimeout: 240_000,
    projects: [
      { extends: true, test: { ...common, name: 'unit', include: ['src/**/*.test.ts', 'tests/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: { ...common, name: 'db:pglite', include: ['tests/integration/**/*.test.ts'], env: { TEST_DB: 'pglite' }, globalSetup: ['tests/support/global-pglite.ts'] },
      },
      ...(postgres
        ? [{
            extends: true as const,
            test: { ...common, name: 'db:postgres', include: ['tests/integration/**/*.test.ts'], env: { TEST_DB: 'postgres' }, globalSetup: ['tests/support/global-postgres.ts'] },
          }]
        : []),
      {
        extends: true,
        test: {
          ...common,
          name: 'http',
          include: ['tests/http/**/*.test.ts', 'tests/e2e/**/*.test.ts'],
          exclude: [...QUIET],
          globalSetup: ['tests/support/global-servers.ts'],
          testTimeout: 60_000,
        },
      },
      {
        // Lighthouse's performance score replays the page's main-thread work on a simulated phone:
        // it measures the page only when nothing else is using the cores, so it runs after every
        // other project has finished (groupOrder), on servers of its own, as a person measuring
        // would.
        extends: true,
        test: {
          ...common,
          name: 'quiet',
          include: [...QUIET],
          globalSetup: ['tests/support/global-servers.ts'],
          testTimeout: 60_000,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
