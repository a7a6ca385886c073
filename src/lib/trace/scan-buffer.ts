import { todayInVietnam } from '../catalog/index.ts';
import { database, onDatabaseClose } from '../db/index.ts';
import { log } from '../log/index.ts';
import { insertScanBatch, type PendingScan } from './trace.repository.ts';

/**
 * Scans are recorded off the request path: each GET adds one to an in-memory buffer that is
 * written in batches (one transaction per batch: the scan rows and each stamp's counters) every
 * FLUSH_MS or when FLUSH_AT scans are waiting. A synchronous counter update per request would make
 * every scan of a popular stamp wait on one row lock. Nothing is lost on shutdown: the flush runs
 * before the database closes (onDatabaseClose), and a failed batch is kept and retried.
 *
 * Pages still show exact counts: `pendingFor` adds the scans not yet written.
 *
 * One buffer per process (on globalThis: the start script and the Astro build load their own
 * copies of this module).
 */
const FLUSH_MS = 500;
const FLUSH_AT = 2_000;
/** If the database stays away this long, keep at most this many scans (oldest dropped, logged). */
const MAX_BUFFERED = 200_000;

interface Aggregate {
  n: number;
  first: Date;
  last: Date;
  days: Set<string>;
}

class ScanBuffer {
  private queue: PendingScan[] = [];
  private inflight: PendingScan[] = [];
  private queueAgg = new Map<number, Aggregate>();
  private inflightAgg = new Map<number, Aggregate>();
  private flushing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private hooked = false;
  written = 0;

  record(scan: PendingScan): void {
    this.queue.push(scan);
    add(this.queueAgg, scan);
    if (!this.hooked) {
      this.hooked = true;
      onDatabaseClose(() => this.close());
    }
    if (this.queue.length >= FLUSH_AT) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS).unref();
  }

  /** Scans of this stamp recorded here but not yet in the database. */
  pendingFor(stampId: number): Aggregate | null {
    const a = this.inflightAgg.get(stampId);
    const b = this.queueAgg.get(stampId);
    if (!a || !b) return a ?? b ?? null;
    return { n: a.n + b.n, first: a.first < b.first ? a.first : b.first, last: a.last > b.last ? a.last : b.last, days: new Set([...a.days, ...b.days]) };
  }

  get size(): number {
    return this.queue.length + this.inflight.length;
  }

  /** Writes everything waiting (and what arrives meanwhile); resolves when it is in the database. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.queue.length === 0) return;
    this.inflight = this.queue;
    this.inflightAgg = this.queueAgg;
    this.queue = [];
    this.queueAgg = new Map();
    this.flushing = (async () => {
      try {
        const { sql } = await database();
        for (let i = 0; i < this.inflight.length; i += 5_000) await insertScanBatch(sql, this.inflight.slice(i, i + 5_000));
        this.written += this.inflight.length;
        this.inflight = [];
        this.inflightAgg = new Map();
      } catch (error) {
        // Keep them, oldest first, and try again shortly.
        this.queue = [...this.inflight, ...this.queue];
        this.inflight = [];
        this.inflightAgg = new Map();
        if (this.queue.length > MAX_BUFFERED) {
          const dropped = this.queue.length - MAX_BUFFERED;
          this.queue = this.queue.slice(dropped);
          log.error('scan buffer full: oldest scans dropped', { dropped });
        }
        log.warn('writing scans failed; will retry', { waiting: this.queue.length, error: error instanceof Error ? error.message : String(error) });
        this.queueAgg = new Map();
        for (const q of this.queue) add(this.queueAgg, q);
        this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS * 4).unref();
      } finally {
        this.flushing = null;
      }
    })();
    await this.flushing;
  }

  private async close(): Promise<void> {
    this.hooked = false;
    for (let attempt = 0; attempt < 3 && this.size > 0; attempt++) await this.flush();
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }
}

function add(map: Map<number, Aggregate>, s: PendingScan): void {
  const day = todayInVietnam(s.at);
  const agg = map.get(s.stampId);
  if (!agg) {
    map.set(s.stampId, { n: 1, first: s.at, last: s.at, days: new Set([day]) });
    return;
  }
  agg.n++;
  if (s.at < agg.first) agg.first = s.at;
  if (s.at > agg.last) agg.last = s.at;
  agg.days.add(day);
}

const KEY = Symbol.for('cho-ocop.trace.scan-buffer');
const holder = globalThis as { [KEY]?: ScanBuffer };

export function scanBuffer(): ScanBuffer {
  return (holder[KEY] ??= new ScanBuffer());
}

/** Writes every waiting scan now (tests, shutdown). */
export function flushScans(): Promise<void> {
  return scanBuffer().flush();
}
