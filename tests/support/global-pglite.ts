import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { prepareTemplate } from './run-template.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    postgresTemplate: { database: string; dataDir: string };
    servers: Array<{ name: 'pglite' | 'postgres'; url: string; dataDir?: string; databaseUrl?: string }>;
  }
}

/** One seeded PGlite directory per run; each test file works on its own copy. */
export default function setup(project: TestProject) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-tpl-'));
  prepareTemplate({ DATA_DIR: dir, DATABASE_URL: '' });
  project.provide('pgliteTemplate', dir);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
