import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { loadConfig, webConcurrency } from './index.ts';

describe('configuration', () => {
  it('has working defaults with an empty environment', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(4321);
    expect(c.HOST).toBe('0.0.0.0');
    expect(c.dataDir).toBe(path.resolve('./data'));
    expect(c.seedDemo).toBe(true);
    expect(c.DATABASE_URL).toBeUndefined();
  });

  it('treats empty variables as unset and does not seed a server database by default', () => {
    const c = loadConfig({ PORT: '', DATA_DIR: '', DATABASE_URL: 'postgres://x@127.0.0.1/db', STRIPE_SECRET_KEY: '' });
    expect(c.PORT).toBe(4321);
    expect(c.seedDemo).toBe(false);
    expect(c.STRIPE_SECRET_KEY).toBeUndefined();
    expect(loadConfig({ DATABASE_URL: 'postgres://x@h/db', SEED_DEMO: 'true' }).seedDemo).toBe(true);
    expect(loadConfig({ SEED_DEMO: '0' }).seedDemo).toBe(false);
  });

  it('ordering limits: production defaults, 0 turns one off, garbage refused', () => {
    expect(loadConfig({})).toMatchObject({ ORDERS_PER_NETWORK_HOUR: 30, HELD_ORDERS_PER_NETWORK: 10, HELD_UNITS_PER_NETWORK: 100 });
    expect(loadConfig({ HELD_ORDERS_PER_NETWORK: '0' }).HELD_ORDERS_PER_NETWORK).toBe(0);
    expect(() => loadConfig({ ORDERS_PER_NETWORK_HOUR: '-1' })).toThrow(/ORDERS_PER_NETWORK_HOUR/);
  });

  it('indicative exchange rates: a US dollar default, a list, off, garbage refused', () => {
    expect(loadConfig({}).FX_RATES).toEqual([{ currency: 'USD', vndPerUnit: 26300 }]);
    expect(loadConfig({ FX_RATES: 'EUR=30500,USD=26000' }).FX_RATES).toEqual([{ currency: 'EUR', vndPerUnit: 30500 }, { currency: 'USD', vndPerUnit: 26000 }]);
    expect(loadConfig({ FX_RATES: 'off' }).FX_RATES).toEqual([]);
    expect(() => loadConfig({ FX_RATES: 'usd:26300' })).toThrow(/FX_RATES/);
  });

  it('refuses invalid values with a readable message', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ PUBLIC_BASE_URL: 'not a url' })).toThrow(/PUBLIC_BASE_URL/);
  });

  it('serves from one process per core (at most 4) on PostgreSQL, from one on the embedded database', () => {
    const pg = { DATABASE_URL: 'postgres://u@h/db' };
    expect(webConcurrency(loadConfig(pg), 2)).toBe(2);
    expect(webConcurrency(loadConfig(pg), 16)).toBe(4);
    expect(webConcurrency(loadConfig({ ...pg, WEB_CONCURRENCY: '1' }), 16)).toBe(1);
    expect(webConcurrency(loadConfig({ ...pg, WEB_CONCURRENCY: '8' }), 2)).toBe(8);
    expect(webConcurrency(loadConfig({ WEB_CONCURRENCY: '8' }), 16)).toBe(1);
    expect(webConcurrency(loadConfig({}), 16)).toBe(1);
    expect(webConcurrency(loadConfig(pg), 8, 'darwin')).toBe(1); // no SO_REUSEPORT balancing there
    for (const bad of ['0', '65', 'many', '-1', '2.5']) expect(() => loadConfig({ WEB_CONCURRENCY: bad })).toThrow(/WEB_CONCURRENCY/);
  });
});
