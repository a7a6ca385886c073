import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

/**
 * The environment, parsed once. Every variable the app reads is here (src/lib/config/README.md lists them);
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

/** A non-negative whole number with a default. */
const count = (fallback: string) => optional.transform((v) => v ?? fallback).pipe(z.string().regex(/^\d{1,6}$/, 'must be a whole number (0 turns the limit off)').transform(Number));

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
  STRIPE_API_BASE: optional.pipe(z.url().optional()),
  /** The platform's collection account shown in VietQR codes (NAPAS BIN, account number, holder). */
  VIETQR_BANK_BIN: optional.transform((v) => v ?? '970436').pipe(z.string().regex(/^\d{6}$/, 'must be a 6-digit NAPAS bank BIN')),
  VIETQR_ACCOUNT: optional.transform((v) => v ?? '0011004386868').pipe(z.string().regex(/^[0-9A-Za-z]{1,19}$/, 'must be 1-19 letters or digits')),
  VIETQR_ACCOUNT_NAME: optional.transform((v) => v ?? 'CONG TY CHO OCOP DEMO'),
  /** Shipping rules as JSON (see src/lib/orders/shipping.ts); defaults apply when absent. */
  SHIPPING_RULES: optional,
  /** The platform's commission on each paid order part, in basis points (500 = 5 %). */
  PAYOUT_FEE_BPS: optional.transform((v) => v ?? '500').pipe(z.string().regex(/^\d{1,4}$/, 'must be 0-9999 basis points').transform(Number)),
  /** How long an unpaid VietQR order keeps its stock, in hours. */
  VIETQR_HOLD_HOURS: optional.transform((v) => v ?? '48').pipe(z.string().regex(/^\d{1,3}$/, 'must be a number of hours').transform(Number)),
  /** Abuse limits of ordering, per client network (lib/orders order-limits.ts); 0 turns one off. */
  ORDERS_PER_NETWORK_HOUR: count('30'),
  HELD_ORDERS_PER_NETWORK: count('10'),
  HELD_UNITS_PER_NETWORK: count('100'),
  /** Reports from the public (POST /api/reports) per client network per hour (lib/monitoring); 0 turns the limit off. */
  REPORTS_PER_NETWORK_HOUR: count('10'),
  STAMP_SECRET: optional,
  /** Reverse proxies in front of the site that append to X-Forwarded-For (0: the header is ignored). */
  TRUSTED_PROXY_HOPS: optional.transform((v) => v ?? '0').pipe(z.string().regex(/^\d{1,2}$/, 'must be a small number of proxies').transform(Number)),
  /** Memory for rendered public pages of anonymous visitors, in MB (lib/http/page-cache); 0 turns the cache off. */
  PAGE_CACHE_MB: optional.transform((v) => v ?? '32').pipe(z.string().regex(/^\d{1,5}$/, 'must be a number of megabytes').transform(Number)),
  /** Memory for the PostgreSQL search backend's copy of the index and its match sets, in MB (lib/search postgres.memory.ts); 0: every search is one SQL statement. */
  SEARCH_CACHE_MB: optional.transform((v) => v ?? '64').pipe(z.string().regex(/^\d{1,5}$/, 'must be a number of megabytes').transform(Number)),
  /** Messages (lib/messages, README there): SMTP server as a URL (smtp://user:pass@host:587, smtps://…) and the From address. */
  SMTP_URL: optional.pipe(z.url().optional()),
  MAIL_FROM: optional.transform((v) => v ?? 'Chợ OCOP <no-reply@cho-ocop.local>'),
  /** SMS gateway (HTTP adapter: POST JSON { to, text, reference } with Bearer SMS_API_KEY). */
  SMS_URL: optional.pipe(z.url().optional()),
  SMS_API_KEY: optional,
  /** Where the office's daily digest goes besides the office accounts (comma-separated e-mails). */
  OFFICE_EMAIL: optional,
  /** Hour (Vietnam time, 0-23) of the office's daily digest. */
  DIGEST_HOUR: optional.transform((v) => v ?? '7').pipe(z.string().regex(/^(1?\d|2[0-3])$/, 'must be an hour 0-23').transform(Number)),
  /** Units in stock at or below which a producer is told (0 turns low-stock notices off). */
  LOW_STOCK_THRESHOLD: count('5'),
  /** Hours before an unpaid VietQR order's hold lapses that the customer is reminded (0: no reminder). */
  VIETQR_REMINDER_HOURS: count('12'),
  /** "Find my order" requests per client network per hour (0 turns the limit off). */
  ORDER_LOOKUPS_PER_NETWORK_HOUR: count('10'),
  /** How often each instance looks for due scheduled jobs, in seconds. */
  /** Run the scheduled jobs (expiry notices, VietQR reminders, digest, low stock) in this process. */
  SCHEDULES: flag.optional(),
  SCHEDULE_TICK_SECONDS: optional.transform((v) => v ?? '30').pipe(z.string().regex(/^\d{1,4}$/, 'must be a number of seconds').transform(Number).pipe(z.number().min(1))),
  /**
   * Indicative exchange rates for the "≈ US$5.70" shown beside prices on English pages: đồng per
   * unit, "USD=26300,EUR=30500"; the first currency is the one shown. "off" (or "") shows none.
   */
  FX_RATES: optional
    .transform((v) => v ?? 'USD=26300')
    .pipe(z.string().regex(/^(off|[A-Z]{3}=\d{1,7}(\.\d+)?(,[A-Z]{3}=\d{1,7}(\.\d+)?)*)$/, 'must look like USD=26300,EUR=30500 (đồng per unit) or off'))
    .transform((v) => (v === 'off' ? [] : v.split(',').map((pair) => {
      const [currency, rate] = pair.split('=') as [string, string];
      return { currency, vndPerUnit: Number(rate) };
    }))),
  /**
   * Processes that serve requests (scripts/start.ts, node:cluster): "auto" = the machine's cores, at
   * most 4, on a PostgreSQL server; always 1 on the embedded database, which lives in one process.
   */
  WEB_CONCURRENCY: optional.transform((v) => v ?? 'auto').pipe(z.string().regex(/^(auto|[1-9]|[1-5]\d|6[0-4])$/, 'must be auto or a number of processes from 1 to 64')),
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

/**
 * How many processes serve requests (see WEB_CONCURRENCY). Several share the port through
 * SO_REUSEPORT's balancing, which Linux and FreeBSD have; elsewhere (macOS, Windows) one serves.
 */
export function webConcurrency(cfg: Config, cores = os.availableParallelism(), platform = process.platform): number {
  if (!cfg.DATABASE_URL || (platform !== 'linux' && platform !== 'freebsd')) return 1;
  return cfg.WEB_CONCURRENCY === 'auto' ? Math.max(1, Math.min(4, cores)) : Number(cfg.WEB_CONCURRENCY);
}

export function config(): Config {
  cached ??= loadConfig();
  return cached;
}

/** For tests and CLIs that change the environment before first use. */
export function resetConfig(): void {
  cached = undefined;
}
