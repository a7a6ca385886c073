import path from 'node:path';
import postgres from 'postgres';
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import * as schema from '../../../db/schema.ts';
import { config } from '../config/index.ts';
import { openEmbedded } from './embedded.ts';

export { schema };
export type Db = PostgresJsDatabase<typeof schema>;
/** A transaction or the database: repositories take either. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;
export type Sql = postgres.Sql;
export type DbKind = 'pglite' | 'postgres';

export interface Database {
  db: Db;
  sql: Sql;
  kind: DbKind;
  /** A separate one-connection client (migrations, LISTEN, long jobs); the caller ends it. */
  openDedicated(): Sql;
  close(): Promise<void>;
}

/**
 * The one place that decides the driver. With DATABASE_URL: postgres.js to that server. Without:
 * PGlite under DATA_DIR, reached through its socket with the same postgres.js client, so every
 * other module sees one driver and one SQL dialect.
 *
 * The handle lives on globalThis because the built Astro server and the start script load their
 * own copies of this module; they must share one database.
 */
const KEY = Symbol.for('cho-ocop.database');
type Holder = { [KEY]?: Promise<Database> };
const holder = globalThis as Holder;

export function database(): Promise<Database> {
  holder[KEY] ??= connect().catch((err) => {
    delete holder[KEY];
    throw err;
  });
  return holder[KEY];
}

export async function db(): Promise<Db> {
  return (await database()).db;
}

const HOOKS = Symbol.for('cho-ocop.database.close-hooks');
const hooks = ((globalThis as Record<symbol, unknown>)[HOOKS] ??= new Set<() => Promise<void>>()) as Set<() => Promise<void>>;

/** Runs before the database closes (background workers stop first, so they never see it gone). */
export function onDatabaseClose(fn: () => Promise<void>): void {
  hooks.add(fn);
}

export async function closeDatabase(): Promise<void> {
  for (const fn of [...hooks]) {
    hooks.delete(fn);
    await fn().catch(() => undefined);
  }
  const pending = holder[KEY];
  delete holder[KEY];
  if (pending) await (await pending.catch(() => null))?.close();
}

/**
 * When the database drops connections (a failover, a restart, a pooler shedding load), requests
 * must fail fast with the friendly 503 and the site must recover by itself (issue 12, item 7).
 * postgres.js waits before reconnecting, and its default wait grows as 3^retries / 100 s up to
 * 20 s, so after a few killed connections every query queued behind a reconnect waited 12–19 s.
 * The pool that serves requests now retries reconnects at most 0.5 s apart, and a connection
 * attempt gives up after 3 s. Only on a PostgreSQL server: the embedded database lives in this
 * process (a slow machine may take longer to open it), and the dedicated clients (migrations,
 * LISTEN) keep the defaults.
 */
const FAIL_FAST = {
  connect_timeout: 3,
  backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 0.5),
} as const;

/**
 * Server-side prepared statements for drizzle's queries on a PostgreSQL server (issue 18).
 *
 * drizzle hands every `db.execute(sql…)` and query-builder call to postgres.js's `unsafe` with
 * `prepare: false`, so PostgreSQL parsed and planned each statement anew: on an uncached product
 * page, parse + bind (planning) were ~0.9 ms of the ~1.3 ms each of its four statements cost the
 * server (log_min_duration_statement). postgres.js prepares a statement once per connection and
 * keeps it by its text and parameter types, so statements are now prepared — up to
 * MAX_PREPARED distinct texts, after which new texts run unprepared as before: a statement whose
 * text varies (an `in (…)` list of another length) cannot grow the connections' statement maps
 * without bound. Queries without parameters keep the simple protocol. Not for PGlite, one backend
 * shared by every client (see below).
 */
const MAX_PREPARED = 2000;

function preparingHotStatements(sql: postgres.Sql): postgres.Sql {
  const unsafe = sql.unsafe.bind(sql) as postgres.Sql['unsafe'];
  const prepared = new Set<string>();
  const wrapped = ((query: string, args?: unknown, options?: postgres.UnsafeQueryOptions) => {
    const params = Array.isArray(args) ? args : [];
    const opts = Array.isArray(args) ? options : (args as postgres.UnsafeQueryOptions | undefined);
    if (params.length && opts?.prepare !== true && (prepared.has(query) || (prepared.size < MAX_PREPARED && prepared.add(query)))) {
      return unsafe(query, params as postgres.ParameterOrJSON<never>[], { ...opts, prepare: true });
    }
    return Array.isArray(args) ? unsafe(query, params as postgres.ParameterOrJSON<never>[], opts) : unsafe(query, opts as never);
  }) as postgres.Sql['unsafe'];
  sql.unsafe = wrapped;
  return sql;
}

async function connect(): Promise<Database> {
  const cfg = config();
  const common = { onnotice: () => {}, connection: { application_name: 'cho-ocop' } } as const;
  if (cfg.DATABASE_URL) {
    const url = cfg.DATABASE_URL;
    const sql = preparingHotStatements(postgres(url, { ...common, ...FAIL_FAST, max: Number(process.env.DB_POOL ?? 10) }));
    return {
      db: drizzle(sql, { schema }),
      sql,
      kind: 'postgres',
      openDedicated: () => postgres(url, { ...common, max: 1 }),
      close: () => sql.end({ timeout: 5 }),
    };
  }
  const embedded = await openEmbedded(cfg.dataDir);
  // PGlite is one backend: statements must be unnamed (no server-side prepared statements that
  // another client could collide with), and a few connections are plenty since it runs one at a time.
  const options = { ...common, path: embedded.socketPath, database: 'postgres', username: 'postgres', prepare: false };
  const sql = postgres({ ...options, max: 4 });
  return {
    db: drizzle(sql, { schema }),
    sql,
    kind: 'pglite',
    openDedicated: () => postgres({ ...options, max: 1 }),
    async close() {
      await sql.end({ timeout: 5 });
      await embedded.close();
    },
  };
}

export function migrationsFolder(): string {
  return path.resolve(process.cwd(), 'db/migrations');
}

/**
 * Applies the committed migrations. drizzle's migrator takes no lock, so concurrent start-ups are
 * serialised with a session advisory lock on a dedicated one-connection client.
 */
export async function migrateDatabase(target: Database): Promise<void> {
  const sql = target.openDedicated();
  try {
    await sql`select pg_advisory_lock(hashtext('cho-ocop:migrate'))`;
    await migrate(drizzle(sql, { schema }), { migrationsFolder: migrationsFolder() });
    await sql`select pg_advisory_unlock(hashtext('cho-ocop:migrate'))`;
  } finally {
    await sql.end({ timeout: 5 });
  }
}
