import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = process.cwd();

export interface IssuedStamps {
  lot: string;
  run: number;
  product: string;
  stamps: Array<{ code: string; url: string }>;
}

/** Issues stamps for a product's newest released lot with `npm run stamps:issue` against a running test server's database. */
export async function issueStamps(server: { dataDir?: string; databaseUrl?: string }, product: string, count: number): Promise<IssuedStamps> {
  const env = { ...process.env, DATA_DIR: server.dataDir, DATABASE_URL: server.databaseUrl ?? '', LOG_LEVEL: 'warn' };
  const out = await run(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'scripts/stamps-issue.ts', '--product', product, '--count', String(count), '--format', 'json'], { env, cwd: root });
  return JSON.parse(out.stdout) as IssuedStamps;
}
