import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { createDatabase, dropDatabase } from '../support/pg-admin.ts';
import { startServer, stop } from '../support/server.ts';

/**
 * Issue 12, item 7: the database keeps dropping the site's connections (every 0.2 s for 10 s, as
 * a failover or an overloaded pooler does). No visitor may wait more than 5 s for an answer — the
 * page or the friendly 503 — and the site recovers by itself. PostgreSQL only: the embedded
 * database lives inside the site's own process and cannot drop its connections this way.
 */
const pgUrl = process.env.TEST_DATABASE_URL;
if (!pgUrl) console.log('DB outage test skipped: it needs a PostgreSQL server (TEST_DATABASE_URL).');

describe.skipIf(!pgUrl)('connections killed repeatedly', () => {
  const name = `ocop_outage_${process.pid}`;
  let child: ChildProcess;
  let url: string;
  let dataDir: string;
  let admin: postgres.Sql;

  beforeAll(async () => {
    const databaseUrl = await createDatabase(name);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-outage-'));
    ({ child, url } = await startServer({ DATABASE_URL: databaseUrl, DATA_DIR: dataDir, SEED_DEMO: '1', PAGE_CACHE_MB: '0' }));
    admin = postgres(pgUrl!, { max: 1, onnotice: () => {} });
  });

  afterAll(async () => {
    if (child) await stop(child);
    await admin?.end({ timeout: 5 });
    await dropDatabase(name);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers every request within 5 s (page or 503) while connections are killed, then recovers', async () => {
    const paths = ['/products/mam-tom-le-gia', '/api/products/mam-tom-le-gia', '/en/products', '/api/search?q=tra'];
    for (const p of paths) expect((await fetch(url + p)).status).toBe(200);

    let killing = true;
    const killer = (async () => {
      const until = Date.now() + 10_000;
      while (Date.now() < until) {
        await admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${name} and pid <> pg_backend_pid()`;
        await new Promise((r) => setTimeout(r, 200));
      }
      killing = false;
    })();
    const waits: number[] = [];
    const statuses = new Map<number, number>();
    const visitor = async (offset: number) => {
      for (let i = offset; killing; i++) {
        const started = Date.now();
        const res = await fetch(url + paths[i % paths.length]!, { signal: AbortSignal.timeout(30_000) });
        await res.arrayBuffer();
        waits.push(Date.now() - started);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        expect([200, 503]).toContain(res.status);
      }
    };
    await Promise.all([killer, visitor(0), visitor(1), visitor(2)]);
    waits.sort((a, b) => a - b);
    const worst = waits.at(-1)!;
    console.log(`DB outage: ${waits.length} requests, statuses ${JSON.stringify(Object.fromEntries(statuses))}, median ${waits[Math.floor(waits.length / 2)]} ms, worst ${worst} ms`);
    expect(worst).toBeLessThan(5_000);

    // Recovers by itself.
    for (const p of paths) await expect.poll(async () => (await fetch(url + p)).status, { timeout: 10_000, interval: 200 }).toBe(200);
  }, 90_000);
});
