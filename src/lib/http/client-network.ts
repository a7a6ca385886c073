/**
 * The client's network, never its address (DESIGN.md §3: "never store full IPs"): IPv4 /16 or
 * IPv6 /32 of the socket address. Scans record it (lib/trace) and abuse limits key on it (PIN
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
