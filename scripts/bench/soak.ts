/**
 * `npm run bench -- soak`: a bounded soak. For BENCH_SOAK_SECONDS (default 600) a moderate mixed load
 * runs on loopback against a started site — product, catalogue and home pages, searches, trace scans
 * and cash-on-delivery checkouts, from a few closed-loop workers with a pause between requests — while
 * the server's resident memory (RSS of the process that serves, read from /proc) is sampled every
 * 5 s. Reports RSS at start and end, the trend (least-squares slope after the first fifth, the
 * warm-up) and every status seen; a 5xx or a network error is counted, never ignored.
 */
import fs from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { servingPid } from '../../tests/support/server.ts';

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round((Number(m[1]) / 1024) * 10) / 10 : Number.NaN;
}

/** Least-squares slope of y over x. */
function slope(points: Array<[number, number]>): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const num = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const den = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

export async function runSoak(child: ChildProcess, url: string, seconds: number, opts: { stampCodes?: string[]; workers?: number; pauseMs?: number; log?: boolean } = {}) {
  const workers = opts.workers ?? 6;
  const pauseMs = opts.pauseMs ?? 20;
  const pid = servingPid(child);
  const listing = (await (await fetch(`${url}/api/search?limit=100`)).json()) as { hits: Array<{ slug: string }> };
  const slugs = listing.hits.map((h) => h.slug);
  const stocked: string[] = [];
  for (const slug of slugs) {
    const p = (await (await fetch(`${url}/api/products/${slug}`)).json()) as { stock?: number; kind?: string };
    if ((p.stock ?? 0) >= 50 && p.kind !== 'experience') stocked.push(slug);
  }
  const codes = (opts.stampCodes ?? []).map((c) => `/t/${c}`);
  const words = ['nuoc mam', 'mật ong', 'tra', 'coffee', 'gao', 'nem chua', 'gốm', 'honey', 'que', 'bưởi'];
  const customer = { name: 'Soak Buyer', phone: '0912345678', address: { line: '1 Tràng Tiền', commune: 'Hoàn Kiếm', province: 'Hà Nội' } };
  const statuses: Record<string, number> = {};
  let requests = 0;
  let orders = 0;
  const kinds = (i: number): { path: string; init?: RequestInit } => {
    const r = i % 20;
    if (r < 6) return { path: `/products/${slugs[i % slugs.length]}` };
    if (r < 9) return { path: `/api/search?q=${encodeURIComponent(words[i % words.length]!)}` };
    if (r < 11) return { path: `/products?q=${encodeURIComponent(words[(i * 3) % words.length]!)}&stars=4,5` };
    if (r < 12) return { path: i % 40 === 11 ? '/en' : '/' };
    if (r < 19 && codes.length) return { path: codes[i % codes.length]! };
    if (stocked.length < 2) return { path: '/combos' };
    return {
      path: '/api/orders',
      init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ items: [{ slug: stocked[i % stocked.length], qty: 1 }, { slug: stocked[(i * 7 + 1) % stocked.length], qty: 1 }], customer, payment: 'cod' }) },
    };
  };
  const samples: Array<[number, number]> = [];
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  samples.push([0, rssMb(pid)]);
  const sampler = setInterval(() => {
    const s = (performance.now() - t0) / 1000;
    samples.push([s, rssMb(pid)]);
    if (opts.log !== false) console.log(`soak: ${Math.round(s)} s, RSS ${samples.at(-1)![1]} MB, ${requests} requests`);
  }, 5000);
  let next = 0;
  try {
    await Promise.all(Array.from({ length: workers }, async () => {
      while (performance.now() < end) {
        const { path, init } = kinds(next++);
        try {
          const res = await fetch(url + path, { redirect: 'manual', ...init });
          await res.arrayBuffer();
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          if (path === '/api/orders' && res.status === 201) orders++;
        } catch {
          statuses.network = (statuses.network ?? 0) + 1;
        }
        requests++;
        await sleep(pauseMs);
      }
    }));
  } finally {
    clearInterval(sampler);
  }
  const elapsed = (performance.now() - t0) / 1000;
  samples.push([elapsed, rssMb(pid)]);
  const steady = samples.filter(([s]) => s >= elapsed / 5);
  const mbPerMinute = Math.round(slope(steady) * 60 * 100) / 100;
  const startMb = samples[0]![1];
  const warmMb = steady[0]![1];
  const endMb = samples.at(-1)![1];
  const errors = Object.entries(statuses).filter(([k]) => k === 'network' || Number(k) >= 500).reduce((s, [, n]) => s + n, 0);
  const result = {
    seconds: Math.round(elapsed), workers, pauseMs, requests, rps: Math.round(requests / elapsed), orders, statuses, errors,
    rssMb: { start: startMb, afterWarmup: warmMb, end: endMb, max: Math.max(...samples.map(([, y]) => y)) },
    trendMbPerMinute: mbPerMinute, samples: samples.map(([s, mb]) => [Math.round(s), mb]),
  };
  console.log(`soak: ${result.requests} requests in ${result.seconds} s (${result.rps}/s, ${orders} orders), statuses ${JSON.stringify(statuses)}`);
  console.log(`soak: RSS ${startMb} MB at start, ${warmMb} MB after warm-up, ${endMb} MB at the end (max ${result.rssMb.max}); trend after warm-up ${mbPerMinute} MB/min`);
  return result;
}
