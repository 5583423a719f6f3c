/**
 * Client addresses kept as evidence of a click are truncated first (GDPR data minimisation):
 * IPv4 to its /24, IPv6 to its /48. That still tells a network and a rough place, which is what
 * a dispute needs, without pointing at one subscriber line.
 */
import { isIPv4, isIPv6 } from "node:net";

export function truncateIp(ip: string): string | undefined {
  const address = ip.trim();
  if (isIPv4(address)) return truncateV4(address);
  if (!isIPv6(address)) return undefined;
  // IPv4-mapped (::ffff:203.0.113.7) is how a dual-stack socket reports IPv4 clients.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return truncateV4(mapped[1]!);
  const groups = expandV6(address.split("%")[0]!);
  return `${groups.slice(0, 3).join(":")}::`;
}

function truncateV4(address: string): string {
  return `${address.split(".").slice(0, 3).join(".")}.0`;
}

function expandV6(address: string): string[] {
  const [head = "", tail] = address.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  // An embedded IPv4 tail (::1.2.3.4) fills two groups; it is beyond the /48 kept anyway.
  const missing = 8 - left.length - right.length;
  const groups = [...left, ...Array.from({ length: Math.max(0, missing) }, () => "0"), ...right];
  return groups.map((g) => (g.includes(".") ? "0" : g.toLowerCase().replace(/^0+(?=.)/, "")));
}
