import { afterEach, describe, expect, it } from 'vitest';
import { resetConfig } from '../config/index.ts';
import { publicOrigin, stampOriginUnreachable } from './stamps.service.ts';

// The CLI and the dashboard's lot page both warn before printing when this says true.
describe('stamp URLs a buyer\'s phone cannot open', () => {
  const saved = process.env.PUBLIC_BASE_URL;
  const withBase = (value: string | undefined) => {
    if (value === undefined) delete process.env.PUBLIC_BASE_URL;
    else process.env.PUBLIC_BASE_URL = value;
    resetConfig();
  };
  afterEach(() => withBase(saved));

  it('without PUBLIC_BASE_URL every origin is suspect, even a public-looking request origin', () => {
    withBase(undefined);
    expect(publicOrigin()).toMatch(/^http:\/\/localhost:\d+$/);
    expect(stampOriginUnreachable()).toBe(true);
    expect(stampOriginUnreachable('https://cho-ocop.example.vn')).toBe(true);
  });

  it('with PUBLIC_BASE_URL, loopback, private and .local hosts are still unreachable; a public host is fine', () => {
    withBase('https://cho-ocop.example.vn');
    expect(stampOriginUnreachable()).toBe(false);
    for (const origin of ['http://localhost:4321', 'http://127.0.0.1:4321', 'http://192.168.1.20', 'http://10.0.0.5', 'http://172.20.0.2', 'http://[::1]:4321', 'http://shop.local', 'not a url']) {
      expect(stampOriginUnreachable(origin), origin).toBe(true);
    }
    expect(stampOriginUnreachable('http://172.32.0.1')).toBe(false);
  });
});
