import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, dropDatabase } from '../support/pg-admin.ts';
import { startServer, stop } from '../support/server.ts';
import type { ChildProcess } from 'node:child_process';

/**
 * The database goes away and comes back: a TCP proxy stands between the site and PostgreSQL, and
 * the test cuts it. Pages must answer a friendly 503 (JSON 503 under /api) while it is gone and
 * recover on their own, without a restart.
 */
class CuttableProxy {
  private server: net.Server | undefined;
  private sockets = new Set<net.Socket>();
  port = 0;
  private readonly target: { host: string; port: number };
  constructor(target: { host: string; port: number }) {
    this.target = target;
  }

  async open(): Promise<void> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.target);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server!.address() as net.AddressInfo).port;
  }

  async cut(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}

const postgres = process.env.TEST_DATABASE_URL;
if (!postgres) console.log('Resilience test skipped: it needs a PostgreSQL server (TEST_DATABASE_URL).');

describe.skipIf(!postgres)('the database stops and comes back', () => {
  const name = `ocop_resilience_${process.pid}`;
  let proxy: CuttableProxy;
  let child: ChildProcess;
  let url: string;
  let dataDir: string;

  beforeAll(async () => {
    const direct = new URL(await createDatabase(name));
    proxy = new CuttableProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
    await proxy.open();
    const viaProxy = new URL(direct);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-resilience-'));
    ({ child, url } = await startServer({ DATABASE_URL: viaProxy.href, DATA_DIR: dataDir, SEED_DEMO: '1' }));
  });

  afterAll(async () => {
    if (child) await stop(child);
    await dropDatabase(name);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 503 with a friendly page while it is gone, and recovers by itself', async () => {
    expect((await fetch(`${url}/products/mam-tom-le-gia`)).status).toBe(200);
    // The page is in the page cache (lib/http/page-cache) before the cut: the cache must not hide the outage.
    await expect.poll(async () => {
      const res = await fetch(`${url}/products/mam-tom-le-gia`);
      await res.arrayBuffer();
      return res.headers.get('x-cache');
    }, { timeout: 10_000, interval: 100 }).toBe('HIT');

    await proxy.cut();
    const page = await fetch(`${url}/products/mam-tom-le-gia`);
    expect(page.status).toBe(503);
    expect(page.headers.get('retry-after')).toBeTruthy();
    const html = await page.text();
    expect(html).toContain('tạm thời');
    expect(html).not.toMatch(/ECONNREFUSED|at \w+ \(|\.ts:\d+/);
    const en = await fetch(`${url}/en/products/mam-tom-le-gia`);
    expect(en.status).toBe(503);
    expect(await en.text()).toContain('Temporarily unavailable');
    const api = await fetch(`${url}/api/search?q=mam`);
    expect(api.status).toBe(503);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('unavailable');

    await proxy.open(); // same port: the database is back
    await expect.poll(async () => (await fetch(`${url}/products/mam-tom-le-gia`)).status, { timeout: 20_000, interval: 250 }).toBe(200);
    expect((await fetch(`${url}/api/health`)).status).toBe(200);
  });
});
