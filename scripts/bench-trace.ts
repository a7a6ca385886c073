/**
 * The `trace` suite of npm run bench: GET /t/<code> under 50 keep-alive connections for 15 s,
 * scan recording on, on PostgreSQL, against a reference measured in the same run — a minimal
 * node:http server answering a page from one indexed postgres.js lookup and a template string.
 * Afterwards the site is stopped with SIGTERM and every answered scan must be in the database.
 *
 * The server database is BENCH_DATABASE_URL (or TEST_DATABASE_URL, or postgres://postgres@127.0.0.1:5432/postgres)
 * with a throw-away database created next to it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import postgres from 'postgres';

export interface LoadResult {
  requests: number;
  errors: number;
  rps: number;
  seconds: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  /** Raw latencies, to combine slices; dropped from the report. */
  samples?: number[];
}

/** Sums slices measured at different moments: total requests over total time, percentiles over all samples. */
export function combine(parts: LoadResult[]): LoadResult {
  const samples = parts.flatMap((p) => p.samples ?? []).sort((a, b) => a - b);
  const seconds = parts.reduce((s, p) => s + p.seconds, 0);
  const at = (q: number) => Math.round((samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? 0) * 100) / 100;
  return {
    requests: samples.length, errors: parts.reduce((s, p) => s + p.errors, 0), rps: Math.round(samples.length / seconds), seconds: Math.round(seconds * 10) / 10,
    latencyMs: { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1) },
  };
}

/** A small HTTP load generator: `connections` keep-alive sockets, each sending its next request when the last one ends. */
export async function load(base: string, paths: string[], connections: number, seconds: number): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const url = new URL(base);
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const end = performance.now() + seconds * 1000;
  const one = () => new Promise<void>((resolve) => {
    const path = paths[next++ % paths.length]!;
    const t0 = performance.now();
    const req = http.request({ host: url.hostname, port: url.port, path, agent, headers: { 'user-agent': 'Mozilla/5.0 (Linux; Android 14) Chrome/130 Mobile', 'accept-language': 'vi-VN,vi;q=0.9' } }, (res) => {
      res.on('data', () => {});
      res.on('end', () => {
        if (res.statusCode === 200) latencies.push(performance.now() - t0);
        else errors++;
        resolve();
      });
    });
    req.on('error', () => {
      errors++;
      resolve();
    });
    req.end();
  });
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, async () => {
    while (performance.now() < end) await one();
  }));
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (p: number) => Math.round((latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0) * 100) / 100;
  return { requests: latencies.length, errors, rps: Math.round(latencies.length / elapsed), seconds: elapsed, latencyMs: { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1) }, samples: latencies };
}

/** The reference: node:http + postgres.js, one indexed lookup, a template string. Returns its URL. */
export async function startReference(databaseUrl: string): Promise<{ url: string; close: () => Promise<void> }> {
  const sql = postgres(databaseUrl, { max: 10, onnotice: () => {} });
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const server = http.createServer(async (req, res) => {
    const code = /^\/t\/([0-9A-Z]{19})$/.exec(req.url ?? '')?.[1];
    if (!code) {
      res.writeHead(404).end();
      return;
    }
    const [row] = await sql`
      select s.code, s.status, p.name_vi, pr.name as producer, l.code as lot, l.produced_on::text as produced_on
      from stamps s join lots l on l.id = s.lot_id join products p on p.id = l.product_id join producers pr on pr.id = p.producer_id
      where s.code = ${code}`;
    if (!row) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="vi"><meta charset="utf-8"><title>${esc(row.name_vi)}</title><h1>${esc(row.name_vi)}</h1><p>${esc(row.producer)}</p><p>Lô ${esc(row.lot)}, ${row.produced_on}</p><p>${row.status}</p></html>`);
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
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

export async function withFreshDatabase<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const admin = adminUrl();
  const name = `ocop_bench_${process.pid}`;
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
