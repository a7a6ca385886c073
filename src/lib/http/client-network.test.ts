import { describe, expect, it } from 'vitest';
import { networkPrefix } from './client-network.ts';

describe('client network', () => {
  it('keeps a network prefix, never the address', () => {
    expect(networkPrefix('203.113.45.67')).toBe('203.113.0.0/16');
    expect(networkPrefix('::ffff:10.1.2.3')).toBe('10.1.0.0/16');
    expect(networkPrefix('2001:ee0:4f1:abcd::1')).toBe('2001:ee0::/32');
    expect(networkPrefix('::1')).toBe('0:0::/32');
    expect(networkPrefix(undefined)).toBeNull();
  });
});
