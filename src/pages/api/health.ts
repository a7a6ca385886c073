import type { APIRoute } from 'astro';
import { sql } from 'drizzle-orm';
import { database } from '../../lib/db/index.ts';
import { searchBackendName } from '../../lib/search/index.ts';
import { json } from '../../lib/http/index.ts';

export const GET: APIRoute = async () => {
  const d = await database();
  await d.db.execute(sql`select 1`);
  return json({ ok: true, db: d.kind, search: searchBackendName() });
};
