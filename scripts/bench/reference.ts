/**
 * The reference every page benchmark is measured against, in the same run: a minimal node:http +
 * postgres.js server (same pool size as the site, 10) that answers each benchmarked page kind from
 * ONE indexed PostgreSQL lookup and a template string — what the page would cost with no framework,
 * no i18n, no layout and no extra query. The site's figure is a ratio of this one.
 *
 *   /t/<code>          stamp → lot → product → producer (unique index on stamps.code)
 *   /ideal/t/<code>    the ideal minimal page (issue 18): ONE table, one indexed lookup (stamps by code)
 *                      and a template string — the floor the provenance page is compared with
 *   /products/<slug>   product → producer → current certificate (unique index on products.slug)
 *   /api/search?…      one page of search_documents (GIN on tsv when there is a text query) as JSON
 *
 * Also the throw-away PostgreSQL database the page suites run on: BENCH_DATABASE_URL (or
 * TEST_DATABASE_URL, or postgres://postgres@127.0.0.1:5432/postgres) names the server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (title: unknown, body: string) =>
  `<!doctype html><html lang="vi"><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${esc(title)}</title><link rel="stylesheet" href="/s.css">${body}</html>`;

/**
 * Starts the reference in processes of its own, as an outside check would run it: never in the
 * load generator's thread, which would slow it and flatter the site. `processes` > 1 serve one
 * port together (SO_REUSEPORT, as the site's workers do), to show what more processes give it.
 */
export async function startReference(databaseUrl: string, processes = 1): Promise<{ url: string; close: () => Promise<void> }> {
  const children: ChildProcess[] = [];
  const close = async () => {
    await Promise.all(children.map((child) => child.exitCode !== null ? undefined : new Promise((r) => {
      child.once('exit', r);
      child.kill('SIGTERM');
    })));
  };
  let port = 0;
  try {
    for (let i = 0; i < processes; i++) {
      const child = spawn(process.execPath, [fileURLToPath(import.meta.url), databaseUrl, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
      children.push(child);
      port = await new Promise<number>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /reference at http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
          if (m) resolve(Number(m[1]));
        });
        child.once('exit', (code) => reject(new Error(`reference exited (${code}): ${out}`)));
      });
    }
  } catch (err) {
    await close();
    throw err;
  }
  return { url: `http://127.0.0.1:${port}`, close };
}

/** One reference process: listens on `port` (0: any) beside any others on it, until SIGTERM. */
async function serveReference(databaseUrl: string, listenPort: number): Promise<{ url: string; close: () => Promise<void> }> {
  const sql = postgres(databaseUrl, { max: 10, onnotice: () => {} });
  const trace = async (code: string) => {
    const [row] = await sql`
      select s.code, s.status, p.name_vi, pr.name as producer, l.code as lot, l.produced_on::text as produced_on
      from stamps s join lots l on l.id = s.lot_id join products p on p.id = l.product_id join producers pr on pr.id = p.producer_id
      where s.code = ${code}`;
    return row && page(row.name_vi, `<h1>${esc(row.name_vi)}</h1><p>${esc(row.producer)}</p><p>Lô ${esc(row.lot)}, ${row.produced_on}</p><p>${row.status}</p>`);
  };
  const ideal = async (code: string) => {
    const [row] = await sql`select code, status, scan_count from stamps where code = ${code}`;
    return row && page(row.code, `<h1>${esc(row.code)}</h1><p>${esc(row.status)}</p><p>${row.scan_count}</p>`);
  };
  const product = async (slug: string) => {
    const [row] = await sql`
      select p.name_vi, p.description_vi, p.story_vi, p.price, p.unit_vi, p.stock, pr.name as producer, pr.slug as producer_slug,
        c.stars, c.number, c.valid_until::text as valid_until
      from products p join producers pr on pr.id = p.producer_id
      left join lateral (select stars, number, valid_until from certificates where product_id = p.id and status <> 'superseded' order by issued_on desc, id desc limit 1) c on true
      where p.slug = ${slug} and p.status = 'published'`;
    return row && page(row.name_vi, `<h1>${esc(row.name_vi)}</h1><p>${Number(row.price).toLocaleString('vi-VN')} ₫ / ${esc(row.unit_vi)}</p>`
      + `<form method="post" action="/cart"><input type="hidden" name="item" value="p:${esc(slug)}"><button>Thêm vào giỏ</button></form>`
      + `<p>${esc(row.description_vi)}</p><section><h2>Câu chuyện</h2><p>${esc(row.story_vi)}</p></section>`
      + `<section><h2>OCOP ${row.stars ?? ''}★</h2><p>${esc(row.number)} · ${row.valid_until ?? ''}</p></section><p><a href="/producers/${esc(row.producer_slug)}">${esc(row.producer)}</a></p>`);
  };
  const search = async (params: URLSearchParams) => {
    const q = (params.get('q') ?? '').trim();
    const group = params.get('group');
    const rows = await sql`
      select product_id, name_lower, price, cert_stars from search_documents
      where true ${q ? sql`and tsv @@ plainto_tsquery('simple', f_fold(${q}))` : sql``} ${group ? sql`and group_code = ${group}` : sql``}
      order by ${q ? sql`ts_rank(tsv, plainto_tsquery('simple', f_fold(${q}))) desc,` : sql``} product_id limit 24`;
    return JSON.stringify({ hits: rows.map((r) => ({ id: r.product_id, name: r.name_lower, price: r.price, stars: r.cert_stars })), total: rows.length });
  };
  const server = http.createServer(async (req, res) => {
    const url = req.url ?? '/';
    try {
      let body: string | undefined;
      let type = 'text/html; charset=utf-8';
      let m: RegExpExecArray | null;
      if ((m = /^\/t\/([0-9A-Z]{19})$/.exec(url))) body = await trace(m[1]!);
      else if ((m = /^\/ideal\/t\/([0-9A-Z]{19})$/.exec(url))) body = await ideal(m[1]!);
      else if ((m = /^\/products\/([a-z0-9-]{1,200})$/.exec(url))) body = await product(m[1]!);
      else if (url.startsWith('/api/search')) {
        body = await search(new URL(url, 'http://x').searchParams);
        type = 'application/json';
      }
      if (body === undefined) res.writeHead(404).end();
      else res.writeHead(200, { 'content-type': type }).end(body);
    } catch {
      res.writeHead(500).end();
    }
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((r) => server.listen({ port: listenPort, host: '127.0.0.1', reusePort: true }, r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await sql.end({ timeout: 5 });
    },
  };
}

export function adminUrl(): string {
  return process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

/** Runs `fn` on a new, empty database next to adminUrl() and drops it afterwards. */
export async function withFreshDatabase<T>(fn: (url: string) => Promise<T>, label = 'bench'): Promise<T> {
  const admin = adminUrl();
  const name = `ocop_${label}_${process.pid}`;
  const sql = postgres(admin, { max: 1, onnotice: () => {} });
  await sql.unsafe(`drop database if exists "${name}" with (force)`);
  await sql.unsafe(`create database "${name}"`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  try {
    return await fn(url.href);
  } finally {
    await sql.unsafe(`drop database if exists "${name}" with (force)`).catch(() => undefined);
    await sql.end({ timeout: 5 });
  }
}

export async function stampCodes(databaseUrl: string): Promise<string[]> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql<Array<{ code: string }>>`select code from stamps where status = 'active' order by id`;
    return rows.map((r) => r.code);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export async function countScans(databaseUrl: string): Promise<{ scans: number; counted: number }> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<Array<{ scans: number; counted: number }>>`select (select count(*) from scans)::int as scans, (select coalesce(sum(scan_count), 0) from stamps)::int as counted`;
    return row!;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

// `node scripts/bench/reference.ts <database url> [port]`: one reference process (startReference).
if (import.meta.main) {
  const { url, close } = await serveReference(process.argv[2]!, Number(process.argv[3] ?? 0));
  console.log(`reference at ${url}`);
  process.once('SIGTERM', () => void close().then(() => process.exit(0)));
}
