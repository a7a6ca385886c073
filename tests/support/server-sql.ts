import fs from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';

/**
 * A direct SQL connection to a running test server's database (to arrange stock and check
 * invariants): the PostgreSQL database, or the embedded PGlite through the socket its owner serves.
 */
export function serverSql(server: { dataDir?: string; databaseUrl?: string }): postgres.Sql {
  const common = { max: 1, onnotice: () => {} };
  if (server.databaseUrl) return postgres(server.databaseUrl, common);
  const lock = JSON.parse(fs.readFileSync(path.join(server.dataDir!, 'pglite.json'), 'utf8')) as { socketPath: string };
  return postgres({ ...common, path: lock.socketPath, database: 'postgres', username: 'postgres', prepare: false });
}
