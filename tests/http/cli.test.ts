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

  it('npm run stamps:issue warns, in Vietnamese and English, when the printed QR codes would point to this machine', async () => {
    const tsx = path.join(root, 'node_modules/tsx/dist/cli.mjs');
    const args = [tsx, 'scripts/stamps-issue.ts', '--product', 'mam-tom-le-gia', '--count', '1'];
    const base: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: databaseUrl ?? '', LOG_LEVEL: 'warn' };
    delete base.PUBLIC_BASE_URL;
    const local = await run(process.execPath, args, { env: base, cwd: root });
    expect(local.stderr).toMatch(/PUBLIC_BASE_URL/);
    expect(local.stderr).toMatch(/điện thoại/);
    expect(JSON.parse(local.stdout).stamps[0].url).toMatch(/^http:\/\/localhost:\d+\/t\//);
    const published = await run(process.execPath, args, { env: { ...base, PUBLIC_BASE_URL: 'https://cho-ocop.example.vn' }, cwd: root });
    expect(published.stderr).not.toMatch(/PUBLIC_BASE_URL/);
    expect(JSON.parse(published.stdout).stamps[0].url).toMatch(/^https:\/\/cho-ocop\.example\.vn\/t\/[0-9A-Z]{19}$/);
  });
});
