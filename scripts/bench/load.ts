/**
 * The one load generator of `npm run bench`: `connections` keep-alive sockets, each sending its next
 * request when the last one ends (closed loop), for a fixed time; and `compare`, which measures a
 * site and the reference in alternating slices so that both see the same machine load (this machine
 * is shared: load from elsewhere comes and goes).
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface LoadResult {
  requests: number;
  errors: number;
  rps: number;
  seconds: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  /** Answers the site's page cache gave (`x-cache: HIT`; lib/http/page-cache). */
  cacheHits: number;
  /** Raw latencies, to combine slices; dropped from the report. */
  samples?: number[];
}

/** Sums slices measured at different moments: total requests over total time, percentiles over all samples. */
export function combine(parts: LoadResult[]): LoadResult {
  const samples = parts.flatMap((p) => p.samples ?? []).sort((a, b) => a - b);
  const seconds = parts.reduce((s, p) => s + p.seconds, 0);
  const at = (q: number) => Math.round((samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? 0) * 100) / 100;
  return {
    requests: samples.length, errors: parts.reduce((s, p) => s + p.errors, 0), cacheHits: parts.reduce((s, p) => s + p.cacheHits, 0), rps: Math.round(samples.length / seconds), seconds: Math.round(seconds * 10) / 10,
    latencyMs: { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1) },
  };
}

/** A small HTTP load generator: `connections` keep-alive sockets, each sending its next request when the last one ends. */
export async function load(base: string, paths: string[], connections: number, seconds: number): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const url = new URL(base);
  const latencies: number[] = [];
  let errors = 0;
  let cacheHits = 0;
  let next = 0;
  const end = performance.now() + seconds * 1000;
  const one = () => new Promise<void>((resolve) => {
    const path = paths[next++ % paths.length]!;
    const t0 = performance.now();
    const req = http.request({ host: url.hostname, port: url.port, path, agent, headers: { 'user-agent': 'Mozilla/5.0 (Linux; Android 14) Chrome/130 Mobile', 'accept-language': 'vi-VN,vi;q=0.9' } }, (res) => {
      res.on('data', () => {});
      res.on('end', () => {
        if (res.headers['x-cache'] === 'HIT') cacheHits++;
        if (res.statusCode === 200) latencies.push(performance.now() - t0);
        else {
          errors++;
          if (process.env.BENCH_DEBUG) console.error('bench: status', res.statusCode, path);
        }
        resolve();
      });
    });
    req.on('error', (e) => {
      if (process.env.BENCH_DEBUG) console.error('bench: error', e.message, path);
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
  return { requests: latencies.length, errors, cacheHits, rps: Math.round(latencies.length / elapsed), seconds: elapsed, latencyMs: { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1) }, samples: latencies };
}

/**
 * Measures `site` and `reference` on the same paths in alternating slices (reference, site,
 * reference, site…) after a warm-up of each, and sums the slices. Returns both and the ratio of
 * requests per second (site / reference).
 */
export async function compare(opts: { site: string; reference: string; paths: string[]; referencePaths?: string[]; connections: number; seconds: number; slices?: number }) {
  const slices = Math.max(1, opts.slices ?? Number(process.env.BENCH_SLICES ?? 3));
  const refPaths = opts.referencePaths ?? opts.paths;
  await load(opts.reference, refPaths, opts.connections, 2); // warm-up
  const warm = await load(opts.site, opts.paths, opts.connections, 2);
  const refParts: LoadResult[] = [];
  const siteParts: LoadResult[] = [];
  for (let i = 0; i < slices; i++) {
    refParts.push(await load(opts.reference, refPaths, opts.connections, opts.seconds / slices));
    siteParts.push(await load(opts.site, opts.paths, opts.connections, opts.seconds / slices));
  }
  const reference = combine(refParts);
  const site = combine(siteParts);
  return { warmRequests: warm.requests, reference, site, ratio: Math.round((site.rps / Math.max(1, reference.rps)) * 1000) / 1000 };
}
