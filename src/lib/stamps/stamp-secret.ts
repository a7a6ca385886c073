import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { config } from '../config/index.ts';

let cached: string | undefined;

/**
 * STAMP_SECRET keys every stamp's check. When it is not set, one is generated once and kept in
 * DATA_DIR/stamp-secret (mode 600): losing it would make every printed stamp fail its check, so
 * production sets STAMP_SECRET explicitly and all instances share it.
 */
export function stampSecret(): string {
  if (cached) return cached;
  const cfg = config();
  if (cfg.STAMP_SECRET) return (cached = cfg.STAMP_SECRET);
  const file = path.join(cfg.dataDir, 'stamp-secret');
  try {
    cached = fs.readFileSync(file, 'utf8').trim();
  } catch {
    fs.mkdirSync(cfg.dataDir, { recursive: true });
    const fresh = crypto.randomBytes(32).toString('base64url');
    try {
      fs.writeFileSync(file, fresh, { mode: 0o600, flag: 'wx' });
      cached = fresh;
    } catch {
      cached = fs.readFileSync(file, 'utf8').trim(); // another process wrote it first
    }
  }
  return cached;
}
