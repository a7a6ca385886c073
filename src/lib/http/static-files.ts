import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { MEDIA_TYPES } from '../storage/index.ts';

/**
 * The built client files (dist/client: the bundled CSS and scripts, favicon), read once at start
 * and answered from memory by scripts/start.ts before Astro sees the request. @astrojs/node's own
 * static handler asks the file system (lstat + send) on every request, pages included, which cost
 * about a tenth of each page's time. The set is a few hundred KB and fixed for a build.
 */
export interface StaticFile {
  body: Buffer;
  type: string;
  etag: string;
  lastModified: string;
  cacheControl: string;
}

const TYPES: Record<string, string> = {
  ...MEDIA_TYPES,
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/** Every file under `dir`, keyed by its URL path ('/_astro/x.css'). Dotfiles are left out. */
export function loadStaticFiles(dir: string, assetsDir = '_astro'): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  if (!fs.existsSync(dir)) return files;
  const walk = (sub: string) => {
    for (const item of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      if (item.name.startsWith('.')) continue;
      const rel = path.posix.join(sub, item.name);
      if (item.isDirectory()) {
        walk(rel);
        continue;
      }
      if (!item.isFile()) continue;
      const full = path.join(dir, rel);
      const body = fs.readFileSync(full);
      const urlPath = `/${rel}`;
      files.set(urlPath, {
        body,
        type: TYPES[path.extname(item.name).toLowerCase()] ?? 'application/octet-stream',
        etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
        lastModified: fs.statSync(full).mtime.toUTCString(),
        // Hashed build assets never change under their name; the rest is revalidated.
        cacheControl: urlPath.startsWith(`/${assetsDir}/`) ? 'public, max-age=31536000, immutable' : 'public, max-age=0, must-revalidate',
      });
    }
  };
  walk('');
  return files;
}

/**
 * Answers GET/HEAD for a known file (304 when the client's ETag matches) and returns true;
 * returns false for everything else, untouched.
 */
export function serveStaticFile(files: Map<string, StaticFile>, req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const file = files.get(q === -1 ? url : url.slice(0, q));
  if (!file) return false;
  const headers: Record<string, string> = {
    'Content-Type': file.type,
    ETag: file.etag,
    'Last-Modified': file.lastModified,
    'Cache-Control': file.cacheControl,
  };
  if (req.headers['if-none-match']?.split(',').some((t) => t.trim().replace(/^W\//, '') === file.etag)) {
    res.writeHead(304, headers);
    res.end();
    return true;
  }
  res.writeHead(200, { ...headers, 'Content-Length': String(file.body.length) });
  res.end(req.method === 'HEAD' ? undefined : file.body);
  return true;
}
