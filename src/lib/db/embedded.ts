import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { servePglite, type PgliteServer } from './pglite-server.ts';

/**
 * The embedded database: PGlite files under DATA_DIR/pgdata, served on a Unix socket by the one
 * process that owns them. Any other process (a CLI while the site runs, a second site instance)
 * finds the owner through DATA_DIR/pglite.json and connects to its socket instead of opening the
 * files: two processes never write one PGlite directory.
 */
export interface EmbeddedHandle {
  socketPath: string;
  /** This process opened PGlite and serves it. */
  owner: boolean;
  close(): Promise<void>;
}

interface LockInfo {
  pid: number;
  socketPath: string;
}

function socketPathFor(dataDir: string): string {
  const inDir = path.join(dataDir, 'pglite.sock');
  // Unix socket paths are limited to ~107 bytes.
  if (Buffer.byteLength(inDir) < 100) return inDir;
  const hash = crypto.createHash('sha256').update(dataDir).digest('hex').slice(0, 16);
  return path.join(os.tmpdir(), `cho-ocop-${hash}.sock`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function canConnect(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(socketPath);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

function readLock(lockPath: string): LockInfo | null {
  try {
    return JSON.parse(fs.readFileSync(lockPath, 'utf8')) as LockInfo;
  } catch {
    return null;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function openEmbedded(dataDir: string): Promise<EmbeddedHandle> {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, 'pglite.json');

  for (let attempt = 0; attempt < 150; attempt++) {
    const existing = readLock(lockPath);
    if (existing && existing.pid !== process.pid && alive(existing.pid)) {
      if (await canConnect(existing.socketPath)) {
        return { socketPath: existing.socketPath, owner: false, close: async () => {} };
      }
      await sleep(200); // the owner is still opening PGlite
      continue;
    }
    if (existing) fs.rmSync(lockPath, { force: true }); // stale: its process is gone
    const socketPath = socketPathFor(dataDir);
    let fd: number;
    try {
      fd = fs.openSync(lockPath, 'wx');
    } catch {
      await sleep(50); // another process won the race
      continue;
    }
    fs.writeSync(fd, JSON.stringify({ pid: process.pid, socketPath } satisfies LockInfo));
    fs.closeSync(fd);
    try {
      return await becomeOwner(dataDir, socketPath, lockPath);
    } catch (err) {
      fs.rmSync(lockPath, { force: true });
      throw err;
    }
  }
  throw new Error(`Could not open the embedded database in ${dataDir}: another process holds it and does not answer.`);
}

async function becomeOwner(dataDir: string, socketPath: string, lockPath: string): Promise<EmbeddedHandle> {
  const [{ PGlite }, { unaccent }, { pg_trgm }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/unaccent'),
    import('@electric-sql/pglite/contrib/pg_trgm'),
  ]);
  const pg = await PGlite.create(path.join(dataDir, 'pgdata'), { extensions: { unaccent, pg_trgm } });
  fs.rmSync(socketPath, { force: true });
  let server: PgliteServer;
  try {
    server = await servePglite(pg, socketPath);
  } catch (err) {
    await pg.close();
    throw err;
  }
  let closing: Promise<void> | undefined;
  return {
    socketPath,
    owner: true,
    close() {
      closing ??= (async () => {
        await server.close();
        await pg.close();
        fs.rmSync(socketPath, { force: true });
        if (readLock(lockPath)?.pid === process.pid) fs.rmSync(lockPath, { force: true });
      })();
      return closing;
    },
  };
}
