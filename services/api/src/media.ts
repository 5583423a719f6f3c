/** Content negotiation for routes that answer in more than one media type. */
import type { FastifyRequest } from "fastify";

/**
 * The first of `offered` (in the route's order of preference) that the Accept header allows
 * with the highest quality; undefined when it allows none. No Accept header allows anything.
 * Wildcards (`*\/*`, `text/*`) match; `q=0` refuses.
 */
export function negotiate(request: FastifyRequest, offered: readonly string[]): string | undefined {
  const header = request.headers.accept;
  if (header === undefined || header.trim() === "") return offered[0];
  const ranges = header.split(",").map((part) => {
    const [range = "", ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    return { range: range.trim(), q: q === undefined ? 1 : Number(q) };
  });
  const quality = (type: string) => {
    const [major] = type.split("/");
    // The most specific range that matches decides (RFC 9110 12.5.1).
    const match =
      ranges.find((r) => r.range === type) ??
      ranges.find((r) => r.range === `${major}/*`) ??
      ranges.find((r) => r.range === "*/*");
    return match ? match.q : 0;
  };
  let best: { type: string; q: number } | undefined;
  for (const type of offered) {
    const q = quality(type);
    if (q > 0 && (best === undefined || q > best.q)) best = { type, q };
  }
  return best?.type;
}
