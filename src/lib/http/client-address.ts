import { isIP } from 'node:net';

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
