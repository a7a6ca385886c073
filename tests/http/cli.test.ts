import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { getJson, servers } from '../support/http.ts';

const run = promisify(execFile);
const root = process.cwd();

describe.each(servers)('CLIs while the site runs on $name', ({ url, dataDir, databaseUrl }) => {
  it('npm run db:migrate and db:seed work against the live database', async () => {
    const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: databaseUrl ?? '', LOG_LEVEL: 'warn' };
    const tsx = path.join(root, 'node_modules/tsx/dist/cli.mjs');
    const migrate = await run(process.execPath, [tsx, 'scripts/db-migrate.ts'], { env, cwd: root });
    expect(migrate.stdout).toMatch(/done/);
    const seed = await run(process.execPath, [tsx, 'scripts/db-seed.ts'], { env, cwd: root });
    expect(seed.stdout).toMatch(/already has a catalogue/);
    // The site is still serving from the same database.
    const { status } = await getJson(url, '/api/health');
    expect(status).toBe(200);
  });
});
