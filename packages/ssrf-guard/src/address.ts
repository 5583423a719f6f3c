import { isIPv4, isIPv6 } from "node:net";

/**
 * What kind of destination an IP address is. Anything but `public` is refused for webhooks
 * unless private networks are allowed: a tenant's webhook URL must not reach the cluster's
 * own services, the cloud metadata endpoint (169.254.169.254) or the operator's LAN.
 */
export type AddressClass =
  "public" | "loopback" | "private" | "link_local" | "unspecified" | "multicast" | "reserved" | "invalid";

interface Range4 {
  base: number;
  bits: number;
  kind: Exclude<AddressClass, "public" | "invalid">;
}

function v4(text: string): number {
  const parts = text.split(".").map(Number);
  return (((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0) as number;
}

const RANGES_V4: readonly Range4[] = [
  { base: v4("0.0.0.0"), bits: 8, kind: "unspecified" }, // "this network"
  { base: v4("10.0.0.0"), bits: 8, kind: "private" },
  { base: v4("100.64.0.0"), bits: 10, kind: "private" }, // carrier-grade NAT (shared address space)
  { base: v4("127.0.0.0"), bits: 8, kind: "loopback" },
  { base: v4("169.254.0.0"), bits: 16, kind: "link_local" }, // includes cloud metadata endpoints
  { base: v4("172.16.0.0"), bits: 12, kind: "private" },
  { base: v4("192.0.0.0"), bits: 24, kind: "reserved" }, // IETF protocol assignments
  { base: v4("192.168.0.0"), bits: 16, kind: "private" },
  { base: v4("198.18.0.0"), bits: 15, kind: "reserved" }, // benchmarking
  { base: v4("224.0.0.0"), bits: 4, kind: "multicast" },
  { base: v4("240.0.0.0"), bits: 4, kind: "reserved" }, // includes 255.255.255.255
];

function classifyV4(n: number): AddressClass {
  for (const r of RANGES_V4) {
    const mask = r.bits === 0 ? 0 : (~0 << (32 - r.bits)) >>> 0;
    if ((n & mask) >>> 0 === r.base) return r.kind;
  }
  return "public";
}

/** Expand an IPv6 text (with "::" and an optional dotted IPv4 tail) into 8 16-bit groups. */
function expandV6(text: string): number[] | null {
  let s = text;
  const lastColon = s.lastIndexOf(":");
  const last = s.slice(lastColon + 1);
  if (last.includes(".")) {
    if (!isIPv4(last)) return null;
    const n = v4(last);
    s = `${s.slice(0, lastColon + 1)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const halves = s.split("::");
  if (halves.length > 2) return null;
  const parse = (h: string | undefined) =>
    h ? h.split(":").map((p) => (/^[0-9a-f]{1,4}$/i.test(p) ? parseInt(p, 16) : NaN)) : [];
  const head = parse(halves[0]);
  const rest = parse(halves[1]);
  const fill = 8 - head.length - rest.length;
  if (halves.length === 1 ? fill !== 0 : fill < 1) return null;
  const groups = halves.length === 1 ? head : [...head, ...new Array<number>(fill).fill(0), ...rest];
  return groups.every((g) => !Number.isNaN(g)) ? groups : null;
}

function classifyV6(g: number[]): AddressClass {
  const embedded = (hi: number, lo: number) => classifyV4((((hi << 16) | lo) >>> 0) as number);
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zeros(0, 8)) return "unspecified";
  if (zeros(0, 7) && g[7] === 1) return "loopback";
  // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d): the IPv4 address decides.
  if (zeros(0, 5) && g[5] === 0xffff) return embedded(g[6]!, g[7]!);
  if (zeros(0, 6)) return embedded(g[6]!, g[7]!);
  // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) carry an IPv4 address that is what gets reached.
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return embedded(g[6]!, g[7]!);
  if (g[0] === 0x2002) return embedded(g[1]!, g[2]!);
  const first = g[0]!;
  if ((first & 0xfe00) === 0xfc00) return "private"; // fc00::/7 unique local
  if ((first & 0xffc0) === 0xfe80) return "link_local"; // fe80::/10
  if ((first & 0xffc0) === 0xfec0) return "private"; // fec0::/10 site-local (deprecated)
  if ((first & 0xff00) === 0xff00) return "multicast"; // ff00::/8
  if (first === 0x0100 && zeros(1, 4)) return "reserved"; // 100::/64 discard
  return "public";
}

/** Classify an IPv4 or IPv6 address (an IPv6 zone id such as "%eth0" is ignored). */
export function classifyAddress(address: string): AddressClass {
  const ip = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  if (isIPv4(ip)) return classifyV4(v4(ip));
  if (isIPv6(ip)) {
    const groups = expandV6(ip);
    return groups ? classifyV6(groups) : "invalid";
  }
  return "invalid";
}

export function isPublicAddress(address: string): boolean {
  return classifyAddress(address) === "public";
}
