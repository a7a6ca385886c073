import { describe, expect, it } from 'vitest';
import { target, useTestDatabase } from '../support/db.ts';

/**
 * The database driver as this project runs it (postgres.js, patched on install by
 * scripts/patch-postgres.mjs). porsager/postgres#1181: a query that fails while its rows stream in
 * left the connection's row counter behind, and the next query on that connection resolved with
 * leading holes — `rows[0]` undefined, so a product that exists answered 404.
 */
describe(`database driver on ${target}`, () => {
  const database = useTestDatabase();

  it('a query that fails mid-result does not leave holes in the next result on the same connection', async () => {
    const conn = await database.get().sql.reserve();
    try {
      // Pipelined on one connection: the first streams three rows, then fails on the fourth.
      const failing = conn`select i, 1 / (4 - i) as boom from generate_series(1, 10) i`.then(() => 'resolved', (e: Error) => e.message);
      const next = conn`select x from generate_series(1, 5) x`;
      expect(await failing).toMatch(/division by zero/);
      const rows = await next;
      expect(rows).toHaveLength(5);
      expect(rows.map((r) => r.x)).toEqual([1, 2, 3, 4, 5]);
      // And a plain query afterwards is whole too.
      const [one] = await conn`select 1 as one`;
      expect(one).toEqual({ one: 1 });
    } finally {
      conn.release();
    }
  });

  it.skipIf(target !== 'postgres')('nor does a connection the server terminates mid-result: it reconnects and its next answers are whole', async () => {
    const { sql } = database.get();
    // The backend terminates itself on the third row: the first rows arrive, then the fatal error.
    const killed = await sql`select i, case when i = 3 then pg_terminate_backend(pg_backend_pid()) end as bye from generate_series(1, 200) i`
      .then(() => 'resolved', (e: Error) => e.message);
    expect(killed).not.toBe('resolved');
    // Enough at once to use every pooled connection, the terminated one (reconnected) among them.
    const answers = await Promise.all(Array.from({ length: 40 }, () => sql`select slug from products order by id limit 3`));
    for (const rows of answers) {
      expect(rows).toHaveLength(3);
      expect(rows.every((r) => typeof r.slug === 'string')).toBe(true);
    }
  });
});
