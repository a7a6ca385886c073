import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';

/** Helpers for throw-away databases on the PostgreSQL server named by TEST_DATABASE_URL. */
export function serverUrl(database: string): string {
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `/${database}`;
  return url.href;
}

export async function withAdmin<T>(fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(process.env.TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
  try {
    return await fn(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export async function createDatabase(name: string, template?: string): Promise<string> {
  await withAdmin(async (sql) => {
    await sql.unsafe(`drop database if exists "${name}" with (force)`);
    await sql.unsafe(`create database "${name}"${template ? ` template "${template}"` : ''}`);
  });
  return serverUrl(name);
}

export async function dropDatabase(name: string): Promise<void> {
  await withAdmin((sql) => sql.unsafe(`drop database if exists "${name}" with (force)`));
}

/**
 * A throw-away database and data directory for a site a test starts itself, with an SQL client on
 * the database; `remove` closes the client and deletes both (stop the site first).
 */
export async function throwAwaySite(label: string): Promise<{ databaseUrl: string; dataDir: string; sql: postgres.Sql; remove: () => Promise<void> }> {
  const name = `ocop_${label}_${process.pid}`;
  const databaseUrl = await createDatabase(name);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `ocop-${label}-`));
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  return {
    databaseUrl, dataDir, sql,
    remove: async () => {
      await sql.end({ timeout: 1 });
      await dropDatabase(name);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
