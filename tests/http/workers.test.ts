import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { throwAwaySite } from '../support/pg-admin.ts';
import { servingPids, startServer, stop } from '../support/server.ts';
import { issueStamps } from '../support/stamps.ts';

/**
 * `npm start` on a PostgreSQL server serves from WEB_CONCURRENCY processes (scripts/start.ts,
 * node:cluster). Any of them may answer any request, so every one must show every committed change
 * at once (each keeps its own page cache and product data, checked against the database), a
 * stopped site must have written every scan any of them answered, and a worker that dies is
 * replaced while the others keep serving. The embedded database has one process, whatever is asked.
 */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** GET on a connection of its own: the primary hands each new connection to the next worker. */
function getFresh(base: string, pathname: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(new URL(pathname, base), { agent: false, headers: { 'accept-language': 'vi' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    // A connection nobody answers (one handed to a dying worker) fails here rather than hanging the test.
    req.setTimeout(10_000, () => req.destroy(new Error(`no answer to ${pathname} in 10 s`)));
    req.on('error', reject);
  });
}

const stockOf = (html: string) => /class="stock[^"]*">([^<]*)</.exec(html)?.[1] ?? null;

describe('serving from several processes (WEB_CONCURRENCY)', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)('on PostgreSQL: every process shows every change at once, a dead worker is replaced, and SIGTERM writes every scan', async () => {
    const site = await throwAwaySite('workers');
    const { databaseUrl, dataDir, sql } = site;
    const server = await startServer({ DATA_DIR: dataDir, DATABASE_URL: databaseUrl, SEED_DEMO: '1', WEB_CONCURRENCY: '2' });
    cleanups.push(async () => {
      await stop(server.child);
      await site.remove();
    });
    const { url } = server;
    expect(servingPids(server.child)).toHaveLength(3); // the primary and two web workers

    const [product] = await sql<Array<{ slug: string; stock: number; story_vi: string }>>`
      select slug, stock, story_vi from products where status = 'published' and kind = 'goods' and stock > 10 order by id limit 1`;
    const page = `/products/${product!.slug}`;
    // Both workers render the page and keep it (page cache, kept product data), past the settling instant.
    for (let i = 0; i < 8; i++) expect((await getFresh(url, page)).status).toBe(200);
    await sleep(700);
    for (let i = 0; i < 8; i++) expect(stockOf((await getFresh(url, page)).body)).toBe('Còn hàng');

    // A stock move and a story change, committed elsewhere: whichever process answers shows them.
    const marker = `Câu chuyện ${Date.now()}`;
    await sql`update products set stock = 2 where slug = ${product!.slug}`;
    for (let i = 0; i < 16; i++) expect(stockOf((await getFresh(url, page)).body), `request ${i}`).toBe('Chỉ còn 2');
    await sql`update products set story_vi = ${marker} where slug = ${product!.slug}`;
    for (let i = 0; i < 16; i++) expect((await getFresh(url, page)).body, `request ${i}`).toContain(marker);

    // A worker killed outright: the other keeps serving, and a new one takes its place.
    const [, first] = servingPids(server.child);
    process.kill(first!, 'SIGKILL');
    // (A connection made in the instant the worker dies may be reset, as with any process killed
    // outright; once it is gone, its socket is gone and every new connection reaches the other.)
    for (let i = 0; i < 50 && servingPids(server.child).includes(first!); i++) await sleep(20);
    for (let i = 0; i < 6; i++) expect((await getFresh(url, page)).status).toBe(200);
    for (let i = 0; i < 50 && !(servingPids(server.child).length === 3 && !servingPids(server.child).includes(first!)); i++) await sleep(200);
    expect(servingPids(server.child)).toHaveLength(3);
    expect(servingPids(server.child)).not.toContain(first);

    // Scans answered by every worker (buffered in each) are all in the database once the site stops.
    const { stamps } = await issueStamps({ dataDir, databaseUrl }, product!.slug, 4);
    const scanPaths = stamps.map((s) => new URL(s.url).pathname);
    let answered = 0;
    await Promise.all(Array.from({ length: 40 }, async (_, i) => {
      const res = await getFresh(url, scanPaths[i % scanPaths.length]!);
      if (res.status === 200) answered++;
    }));
    expect(answered).toBe(40);
    // Any worker's count includes the scans every worker answered, within the half second scans
    // are buffered (src/lib/trace/README.md): each worker adds only its own unwritten ones.
    const counted = async () => {
      let n = 0;
      for (const s of stamps) n += (JSON.parse((await getFresh(url, `/api/trace/${s.code}`)).body) as { scans: { count: number } }).scans.count;
      return n;
    };
    const since = Date.now();
    while ((await counted()) !== 40 && Date.now() - since < 1_500) await sleep(50);
    expect(await counted()).toBe(40);
    await stop(server.child);
    expect(server.child.exitCode, server.output()).toBe(0);
    const [row] = await sql<Array<{ n: number }>>`select count(*)::int as n from scans sc join stamps s on s.id = sc.stamp_id where s.code in ${sql(stamps.map((s) => s.code))}`;
    expect(row!.n).toBe(40);
    await sql`update products set stock = ${product!.stock}, story_vi = ${product!.story_vi} where slug = ${product!.slug}`;

    // A port already in use stops the start with a clear message: the workers' shared sockets
    // (SO_REUSEPORT) must not quietly join another site listening there.
    const taken = net.createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const { port } = taken.address() as net.AddressInfo;
    cleanups.push(() => new Promise<void>((r) => taken.close(() => r())));
    await expect(startServer({ DATA_DIR: dataDir, DATABASE_URL: databaseUrl, WEB_CONCURRENCY: '2', PORT: String(port) })).rejects.toThrow(/already in use/);
  }, 300_000);

  it('on the embedded database: one process serves, whatever WEB_CONCURRENCY says', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-workers-emb-'));
    const server = await startServer({ DATA_DIR: dataDir, DATABASE_URL: '', WEB_CONCURRENCY: '3' });
    cleanups.push(async () => {
      await stop(server.child);
      fs.rmSync(dataDir, { recursive: true, force: true });
    });
    expect(servingPids(server.child)).toEqual([server.child.pid]);
    expect((await getFresh(server.url, '/api/health')).status).toBe(200);
  }, 300_000);
});
