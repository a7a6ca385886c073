import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, inject } from 'vitest';
import { resetConfig } from '../../src/lib/config/index.ts';
import { closeDatabase, type Database } from '../../src/lib/db/index.ts';
import { ensureReady, resetReady } from '../../src/lib/app/index.ts';
import { createDatabase, dropDatabase } from './pg-admin.ts';

export const target = (process.env.TEST_DB ?? 'pglite') as 'pglite' | 'postgres';

/**
 * Gives the test file its own copy of the seeded demo database (PGlite directory copy or a
 * PostgreSQL database made from the template), and removes it afterwards.
 */
export function useTestDatabase(): { get: () => Database } {
  let current: Database | undefined;
  let cleanup: () => Promise<void> = async () => {};
  beforeAll(async () => {
    await closeDatabase();
    resetReady();
    if (target === 'postgres') {
      const name = `ocop_t_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
      const template = inject('postgresTemplate');
      process.env.DATABASE_URL = await createDatabase(name, template.database);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-t-'));
      fs.cpSync(template.dataDir, dir, { recursive: true });
      process.env.DATA_DIR = dir;
      cleanup = async () => {
        await dropDatabase(name);
        fs.rmSync(dir, { recursive: true, force: true });
      };
    } else {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-t-'));
      fs.cpSync(inject('pgliteTemplate'), dir, { recursive: true });
      process.env.DATA_DIR = dir;
      delete process.env.DATABASE_URL;
      cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
    }
    resetConfig();
    current = await ensureReady();
  });
  afterAll(async () => {
    await closeDatabase();
    resetReady();
    await cleanup();
  });
  return {
    get: () => {
      if (!current) throw new Error('useTestDatabase(): the database is not ready yet (use it inside tests or hooks)');
      return current;
    },
  };
}
