import { describe, expect, it } from 'vitest';
import { clientAddressFrom, isPublicAddress, networkPrefix } from './client-address.ts';

describe('clientAddressFrom', () => {
  it('ignores X-Forwarded-For when no proxy is trusted', () => {
    expect(clientAddressFrom('198.51.100.7', '203.0.113.9', 0)).toBe('198.51.100.7');
    expect(clientAddressFrom('::ffff:127.0.0.1', '203.0.113.9, 10.0.0.1', 0)).toBe('::ffff:127.0.0.1');
  });

  it('takes the address the trusted proxies saw, never what the client wrote further left', () => {
    // client spoofs 1.2.3.4; the proxy appends the real peer 203.0.113.9; the site sees the proxy
    expect(clientAddressFrom('10.0.0.2', '1.2.3.4, 203.0.113.9', 1)).toBe('203.0.113.9');
    expect(clientAddressFrom('10.0.0.2', ['1.2.3.4', '203.0.113.9, 10.0.0.1'], 2)).toBe('203.0.113.9');
    expect(clientAddressFrom('10.0.0.2', '2001:db8::5', 1)).toBe('2001:db8::5');
    expect(clientAddressFrom('10.0.0.2', '[2001:db8::5]:443', 1)).toBe('2001:db8::5');
    expect(clientAddressFrom('10.0.0.2', '203.0.113.9:5000', 1)).toBe('203.0.113.9');
  });

  it('falls back to the socket for missing, short or malformed headers', () => {
    expect(clientAddressFrom('10.0.0.2', undefined, 1)).toBe('10.0.0.2');
    expect(clientAddressFrom('10.0.0.2', '', 1)).toBe('10.0.0.2');
    expect(clientAddressFrom('10.0.0.2', 'not-an-ip', 1)).toBe('10.0.0.2');
    expect(clientAddressFrom('10.0.0.2', '<script>', 1)).toBe('10.0.0.2');
    // fewer entries than hops: the leftmost is the best there is
    expect(clientAddressFrom('10.0.0.2', '203.0.113.9', 3)).toBe('203.0.113.9');
    expect(clientAddressFrom(null, null, 1)).toBeNull();
  });
});

describe('client network', () => {
  it('keeps a network prefix, never the address', () => {
    expect(networkPrefix('203.113.45.67')).toBe('203.113.0.0/16');
    expect(networkPrefix('::ffff:10.1.2.3')).toBe('10.1.0.0/16');
    expect(networkPrefix('2001:ee0:4f1:abcd::1')).toBe('2001:ee0::/32');
    expect(networkPrefix('::1')).toBe('0:0::/32');
    expect(networkPrefix(undefined)).toBeNull();
  });
});

describe('isPublicAddress', () => {
  it('tells Internet clients from this machine, private networks and link-local', () => {
    for (const a of ['203.113.5.7', '8.8.8.8', '::ffff:113.160.1.2', '2001:ee0:4f1::5', '2404:6800::1']) expect(isPublicAddress(a), a).toBe(true);
    for (const a of ['127.0.0.1', '::ffff:127.0.0.1', '::1', '10.1.2.3', '172.20.0.5', '192.168.1.10', '100.64.3.4', '169.254.1.1', 'fe80::1', 'fd12:3456::1', '0.0.0.0', '::']) {
      expect(isPublicAddress(a), a).toBe(false);
    }
    for (const a of [null, undefined, '', 'localhost', 'not an address', '999.1.1.1']) expect(isPublicAddress(a), String(a)).toBe(false);
  });
});

