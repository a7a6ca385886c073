/**
 * npm start: builds the site when the build is missing or older than the sources, prepares the
 * database (migrations, reference data, demo seed), then serves. Stops cleanly on SIGINT/SIGTERM
 * so the embedded database is closed properly.
 *
 * On a PostgreSQL server the site serves from WEB_CONCURRENCY processes (node:cluster; by default
 * one per core, at most 4): this process prepares the database, runs the background work (outbox,
 * messages, schedules) and hands connections to its workers, each a whole web server on the same
 * port. Nothing a page shows is kept per process unless it is checked against the database first
 * (page cache, kept product data, search copy: lib/db/generation), so any worker answers as any
 * other would. SIGTERM reaches every worker, each writes its buffered scans and closes, then this
 * one does. The embedded database lives in one process: one process serves.
 */
import cluster from 'node:cluster';
import fs from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import './fast-resolve.ts';

const root = process.cwd();
const entry = path.join(root, 'dist/server/entry.mjs');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const item of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, item.name);
    newest = Math.max(newest, item.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

function needsBuild(): boolean {
  if (process.env.SKIP_BUILD === '1') return false;
  if (!fs.existsSync(entry)) return true;
  const built = fs.statSync(entry).mtimeMs;
  const inputs = ['src', 'db', 'public'].map((d) => path.join(root, d)).filter((d) => fs.existsSync(d));
  return Math.max(...inputs.map(newestMtime), fs.statSync(path.join(root, 'astro.config.mjs')).mtimeMs) > built;
}

const t0 = Date.now();
if (cluster.isPrimary && needsBuild()) {
  console.log('Building the site (first start, or sources changed)…');
  const res = spawnSync(process.execPath, [path.join(root, 'node_modules/astro/bin/astro.mjs'), 'build'], { stdio: 'inherit' });
  if (res.status !== 0) process.exit(res.status ?? 1);
}

const { config, webConcurrency } = await import('../src/lib/config/index.ts');
const { ensureReady, startupTour } = await import('../src/lib/app/index.ts');
const { closeDatabase } = await import('../src/lib/db/index.ts');
const cfg = config();
// A first start migrates and seeds for a while: say what is happening (LOG_LEVEL=warn and above: quiet).
const talk = cluster.isPrimary && !['warn', 'error', 'silent'].includes(cfg.LOG_LEVEL);
if (talk) console.log('Preparing the database…');
const db = await ensureReady(talk ? (message) => console.log(message) : undefined);
const processes = webConcurrency(cfg);
if (cfg.WEB_CONCURRENCY !== 'auto' && Number(cfg.WEB_CONCURRENCY) > processes) {
  console.warn(cfg.DATABASE_URL
    ? `WEB_CONCURRENCY=${cfg.WEB_CONCURRENCY} ignored: processes share a port only where SO_REUSEPORT balances connections (Linux, FreeBSD); one serves.`
    : `WEB_CONCURRENCY=${cfg.WEB_CONCURRENCY} ignored: the embedded database lives in one process, which serves alone (set DATABASE_URL for more).`);
}

/** Says where the site is, once it serves (and, to a person watching, what to try). */
function announce(port: number): void {
  const shown = cfg.HOST === '0.0.0.0' || cfg.HOST === '::' ? 'localhost' : cfg.HOST;
  const workers = processes > 1 ? `, ${processes} processes` : '';
  console.log(`Chợ OCOP is serving at http://${shown}:${port} (database: ${db.kind}${workers}, ready in ${Date.now() - t0} ms)`);
  if (!talk) return;
  const base = cfg.PUBLIC_BASE_URL?.replace(/\/$/, '') ?? `http://${shown}:${port}`;
  void startupTour(base).then((lines) => console.log(['Try:', ...lines, 'Ctrl-C stops the site.'].join('\n')), () => undefined);
}

if (cluster.isPrimary && processes > 1) {
  await superviseWorkers();
} else {
  await serve();
}

/** Listens on `port` (0: one the kernel picks) for an instant, then lets it go: the port workers will share. */
function probePort(host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(port, host, () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** The primary of several serving processes: starts them, replaces one that dies, stops them all on a signal. */
async function superviseWorkers(): Promise<void> {
  let stopping = false;
  let served = false;
  // Each worker listens on a socket of its own (SO_REUSEPORT) and the kernel spreads new connections
  // over them, rather than this process accepting each one and handing it over (node:cluster's
  // round robin): a connection handed to a worker as it dies is never answered, while a dead
  // worker's own socket is simply gone. The port is tried here first, without SO_REUSEPORT, so a
  // port already in use (another site started on it, even this one) stops the start instead of
  // being shared; PORT=0 (tests) is settled to one port for all.
  const port = await probePort(cfg.HOST, cfg.PORT).catch((err: NodeJS.ErrnoException) => {
    console.error(`Cannot serve on ${cfg.HOST}:${cfg.PORT}: ${err.code === 'EADDRINUSE' ? 'the port is already in use' : err.message}`);
    process.exit(1);
  });
  const fork = () => cluster.fork({ PORT: String(port) });
  const listening = new Promise<void>((resolve) => {
    let ready = 0;
    cluster.on('message', (_worker, message: { serving?: number }) => {
      if (message?.serving !== undefined && ++ready === processes) resolve();
    });
  });
  // A worker that dies is replaced, sooner after a long life than after a quick one (a crash loop
  // must not spin); one that dies before the site first served means the site cannot start.
  let delay = 500;
  let lastExit = 0;
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    if (!served) {
      console.error(`web process ${worker.process.pid} ended (${signal ?? code}) before serving: the site cannot start`);
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGKILL');
      process.exit(1);
    }
    const now = Date.now();
    delay = now - lastExit < 10_000 ? Math.min(30_000, delay * 2) : 500;
    lastExit = now;
    console.error(`web process ${worker.process.pid} ended (${signal ?? code}); starting another in ${delay} ms`);
    setTimeout(() => {
      if (!stopping) fork();
    }, delay);
  });
  for (let i = 0; i < processes; i++) fork();
  await listening;
  announce(port);
  served = true;

  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping…`);
    const workers = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
    await Promise.all(workers.map((w) => new Promise<void>((resolve) => {
      if (w.isDead()) return resolve();
      const timer = setTimeout(() => w.process.kill('SIGKILL'), 15_000);
      w.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      w.process.kill('SIGTERM');
    })));
    await closeDatabase();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** One serving process: the only one, or a worker of the primary above. */
async function serve(): Promise<void> {
  process.env.ASTRO_NODE_AUTOSTART = 'disabled';
  type AstroHandler = (req: http.IncomingMessage, res: http.ServerResponse, next?: undefined, locals?: object) => Promise<void>;
  const { handler } = (await import(pathToFileURL(entry).href)) as { handler: AstroHandler };
  // The provenance page /t/<code> is the hot path of every scan: answered here, before Astro, by the
  // same handler the Astro route uses (src/lib/trace). Its scans are buffered and flushed in batches;
  // closeDatabase() below writes the last batch before the database closes.
  const { serveTrace } = await import('../src/lib/trace/index.ts');
  const { baseSecurityHeaders, guardChunkedBody, refuseLargeBody, settleForwarded } = await import('../src/lib/http/index.ts');
  const { loadStaticFiles, serveStaticFile } = await import('../src/lib/http/static-files.ts');
  const { enablePageCache, servePageCache } = await import('../src/lib/http/page-cache.ts');
  // One-click unsubscribe comes from mail providers' servers: answered here, before Astro's origin check.
  const { serveOneClickUnsubscribe } = await import('../src/lib/messages/index.ts');
  const plainHeaders = Object.entries(baseSecurityHeaders(false));
  const httpsHeaders = Object.entries(baseSecurityHeaders(true));
  const staticFiles = loadStaticFiles(path.join(root, 'dist/client'));
  enablePageCache(cfg.PAGE_CACHE_MB, { searchPages: !cfg.MEILI_HOST });
  const REQUEST_ID = /^[\w.:-]{8,100}$/;
  const server = http.createServer((req, res) => {
    // The visitor's scheme and host (X-Forwarded-* only through TRUSTED_PROXY_HOPS proxies), Secure
    // cookies on https, and bodies over the limit refused before they are read (lib/http edge.ts).
    const https = settleForwarded(req, res, cfg.TRUSTED_PROXY_HOPS);
    if (refuseLargeBody(req, res)) return;
    guardChunkedBody(req);
    if (serveTrace(req, res)) return;
    // Every response gets the baseline headers here (Astro's middleware adds the page policies).
    for (const [name, value] of https ? httpsHeaders : plainHeaders) res.setHeader(name, value);
    if (serveStaticFile(staticFiles, req, res)) return;
    if (serveOneClickUnsubscribe(req, res)) return;
    try {
      decodeURI(req.url ?? '/');
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(req.url?.startsWith('/en') ? 'Bad request: the address is not valid (malformed percent-encoding).' : 'Yêu cầu không hợp lệ: địa chỉ có mã phần trăm (%) sai.');
      return;
    }
    const requestId = () => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
    };
    // Public pages of anonymous visitors come from the page cache when nothing they show has changed.
    if (servePageCache(req, res, (token) => void handler(req, res, undefined, token ? { pageCache: token } : undefined), requestId)) return;
    void handler(req, res);
  });
  server.keepAliveTimeout = 65_000;
  // A worker's primary says where the site is once every worker listens.
  server.listen({ port: cfg.PORT, host: cfg.HOST, ...(cluster.isWorker ? { reusePort: true, exclusive: true } : {}) }, () => {
    const { port } = server.address() as AddressInfo;
    if (cluster.isPrimary) announce(port);
    else process.send?.({ serving: port });
  });

  let stopping = false;
  async function stop(signal: string) {
    if (stopping) return;
    stopping = true;
    if (cluster.isPrimary) console.log(`${signal}: stopping…`);
    server.close();
    server.closeAllConnections();
    await closeDatabase();
    process.exit(0);
  }
  // Ctrl-C reaches every process of the terminal's group: a worker waits for its primary's SIGTERM.
  process.on('SIGINT', () => void (cluster.isPrimary && stop('SIGINT')));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  // A worker whose primary is gone (killed outright) stops too, writing its buffered scans.
  if (cluster.isWorker) process.on('disconnect', () => void stop('primary gone'));
}
