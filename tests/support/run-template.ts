import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** Prepares a seeded template database in a child process (clean module state, real start-up path). */
export function prepareTemplate(env: Record<string, string | undefined>): void {
  const root = process.cwd();
  execFileSync(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(root, 'tests/support/prepare-template.ts')], {
    env: { ...process.env, LOG_LEVEL: 'warn', SEED_DEMO: '1', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}
