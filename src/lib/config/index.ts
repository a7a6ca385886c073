import path from 'node:path';
import { z } from 'zod';

/**
 * The environment, parsed once. Every variable the app reads is here (README lists them);
 * nothing else touches process.env.
 */
const flag = z
  .string()
  .trim()
  .toLowerCase()
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

const optional = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined));

const EnvSchema = z.object({
  PORT: optional
    .transform((v) => v ?? '4321')
    .pipe(z.string().regex(/^\d{1,5}$/, 'must be a port number').transform(Number).pipe(z.number().max(65535))),
  HOST: optional.transform((v) => v ?? '0.0.0.0'),
  PUBLIC_BASE_URL: optional.pipe(z.url().optional()),
  DATA_DIR: optional.transform((v) => v ?? './data'),
  DATABASE_URL: optional,
  MEILI_HOST: optional,
  MEILI_API_KEY: optional,
  STRIPE_SECRET_KEY: optional,
  STRIPE_WEBHOOK_SECRET: optional,
  STRIPE_API_BASE: optional,
  STAMP_SECRET: optional,
  SEED_DEMO: flag.optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
});

export type Config = Omit<z.infer<typeof EnvSchema>, 'SEED_DEMO'> & {
  /** Absolute DATA_DIR. */
  dataDir: string;
  /** Seed demo data into an empty database: on by default for the embedded database only. */
  seedDemo: boolean;
};

let cached: Config | undefined;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join('\n')}`);
  }
  const { SEED_DEMO, ...rest } = parsed.data;
  return {
    ...rest,
    dataDir: path.resolve(rest.DATA_DIR),
    seedDemo: SEED_DEMO ?? !rest.DATABASE_URL,
  };
}

export function config(): Config {
  cached ??= loadConfig();
  return cached;
}

/** For tests and CLIs that change the environment before first use. */
export function resetConfig(): void {
  cached = undefined;
}
