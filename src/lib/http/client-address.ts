import { BlockList, isIP } from 'node:net';

/**
 * The address of the client that sent a request, for rate limits and the coarse network prefix
 * of scans. Behind `hops` reverse proxies that each append the address they received from to
 * X-Forwarded-For, the client is the entry `hops` places from the right of [...forwarded, socket];
 * entries further left were written by the client itself and prove nothing (anyone can send
 * `X-Forwarded-For: 1.2.3.4` to dodge a per-client limit). With 0 hops (the default: the site
 * answers the Internet directly) the header is ignored.
 */
export function clientAddressFrom(socketAddress: string | null | undefined, forwardedFor: string | string[] | null | undefined, hops: number): string | null {
  const socket = socketAddress ?? null;
  if (hops <= 0 || !forwardedFor) return socket;
  const forwarded = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',').map((s) => s.trim()).filter(Boolean);
  const chain = [...forwarded, ...(socket ? [socket] : [])];
  const candidate = chain[Math.max(0, chain.length - 1 - hops)];
  if (!candidate) return socket;
  const bare = candidate.replace(/^\[(.*)\](?::\d+)?$/, '$1').replace(/^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/, '$1');
  return isIP(bare) ? bare : socket;
}

/**
 * The client's network, never its address (DESIGN.md §3: "never store full IPs"): IPv4 /16 or
 * IPv6 /32 of the client's address (`clientAddressFrom`). Scans record it (lib/trace) and abuse limits key on it (PIN
 * guesses in lib/stamps, orders in lib/orders).
 */
export function networkPrefix(address: string | null | undefined): string | null {
  if (!address) return null;
  const ip = address.replace(/^::ffff:/i, '');
  const v4 = /^(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/.exec(ip);
  if (v4) return `${v4[1]}.${v4[2]}.0.0/16`;
  if (ip.includes(':')) {
    const [head] = ip.split('::');
    const groups = (head ?? '').split(':').filter(Boolean);
    const first = [...groups, '0', '0'].slice(0, 2).map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''));
    return `${first.join(':')}::/32`;
  }
  return null;
}

/** Addresses that never reach us straight from the Internet: this machine, private networks, link-local. */
const INTERNAL = new BlockList();
for (const [net, bits] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.168.0.0', 16]] as const) INTERNAL.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10]] as const) INTERNAL.addSubnet(net, bits, 'ipv6');

/**
 * Whether an address is a client on the Internet (not loopback, private, carrier-internal or
 * link-local). Seen from such an address, a request came through something on our side — a proxy
 * not declared in TRUSTED_PROXY_HOPS, a health check, a developer's machine — so per-client limits
 * that would otherwise treat every shopper as one are not applied to it.
 */
export function isPublicAddress(address: string | null | undefined): boolean {
  if (!address) return false;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  const ip = mapped ? mapped[1]! : address;
  const family = isIP(ip);
  if (!family) return false;
  return !INTERNAL.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

