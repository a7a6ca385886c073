import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { createDatabase, dropDatabase, withAdmin } from './pg-admin.ts';
import { prepareTemplate } from './run-template.ts';

/** A seeded template database on the server; each test file gets `CREATE DATABASE … TEMPLATE` of it. */
export default async function setup(project: TestProject) {
  const name = `ocop_tpl_${process.pid}`;
  const url = await createDatabase(name);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-tpl-'));
  prepareTemplate({ DATABASE_URL: url, DATA_DIR: dataDir });
  project.provide('postgresTemplate', { database: name, dataDir });
  return async () => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    const prefix = `ocop_t_${process.pid}_`;
    await withAdmin(async (sql) => {
      const rows = await sql<{ datname: string }[]>`select datname from pg_database where datname like ${`${prefix}%`}`;
      for (const r of rows) await sql.unsafe(`drop database if exists "${r.datname}" with (force)`);
    });
    await dropDatabase(name);
  };
}
