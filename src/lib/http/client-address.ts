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
