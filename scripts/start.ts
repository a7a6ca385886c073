/**
 * npm start: builds the site when the build is missing or older than the sources, prepares the
 * database (migrations, reference data, demo seed), then serves. Stops cleanly on SIGINT/SIGTERM
 * so the embedded database is closed properly.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
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
if (needsBuild()) {
  console.log('Building the site (first start, or sources changed)…');
  const res = spawnSync(process.execPath, [path.join(root, 'node_modules/astro/bin/astro.mjs'), 'build'], { stdio: 'inherit' });
  if (res.status !== 0) process.exit(res.status ?? 1);
}

const { config } = await import('../src/lib/config/index.ts');
const { ensureReady, startupTour } = await import('../src/lib/app/index.ts');
const { closeDatabase } = await import('../src/lib/db/index.ts');
const cfg = config();
// A first start migrates and seeds for a while: say what is happening (LOG_LEVEL=warn and above: quiet).
const talk = !['warn', 'error', 'silent'].includes(cfg.LOG_LEVEL);
if (talk) console.log('Preparing the database…');
const db = await ensureReady(talk ? (message) => console.log(message) : undefined);

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
server.listen(cfg.PORT, cfg.HOST, () => {
  const shown = cfg.HOST === '0.0.0.0' || cfg.HOST === '::' ? 'localhost' : cfg.HOST;
  const { port } = server.address() as AddressInfo;
  console.log(`Chợ OCOP is serving at http://${shown}:${port} (database: ${db.kind}, ready in ${Date.now() - t0} ms)`);
  if (!talk) return;
  const base = cfg.PUBLIC_BASE_URL?.replace(/\/$/, '') ?? `http://${shown}:${port}`;
  void startupTour(base).then((lines) => console.log(['Try:', ...lines, 'Ctrl-C stops the site.'].join('\n')), () => undefined);
});

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping…`);
  server.close();
  server.closeAllConnections();
  await closeDatabase();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
