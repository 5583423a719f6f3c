import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { isIP, type LookupFunction } from "node:net";
import { DependencyUnavailableError, InvalidPayloadError } from "@optout/core";
import { classifyAddress, type AddressClass } from "./address.js";

export type RefusalReason = "invalid_url" | "scheme" | Exclude<AddressClass, "public">;

/** A URL that must not be called: bad scheme, or a host on a non-public address. Permanent. */
export class UrlRefusedError extends InvalidPayloadError {
  readonly reason: RefusalReason;
  constructor(reason: RefusalReason, message: string) {
    super(message, { details: { reason } });
    this.reason = reason;
  }
}

export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

/** Every address of a host (A and AAAA), as the system resolver returns them. */
export const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) =>
      err ? reject(err) : resolve(addresses),
    ),
  );

export interface ResolveOptions {
  /** WEBHOOK_ALLOW_PRIVATE_NETWORKS: let loopback/private/link-local destinations through. */
  allowPrivateNetworks: boolean;
  resolver?: Resolver;
}

export interface ResolvedTarget {
  url: URL;
  /** The host name without IPv6 brackets: the Host header and the TLS server name. */
  hostname: string;
  /** The checked addresses; connect only to these (no second DNS answer, no rebinding). */
  addresses: LookupAddress[];
}

/** Parse and check a URL's scheme: http and https only. */
export function parseHttpUrl(rawUrl: string): URL {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new UrlRefusedError("invalid_url", "the webhook URL is not a valid absolute URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UrlRefusedError(
      "scheme",
      `the webhook URL scheme "${url.protocol.replace(/:$/, "")}" is not allowed: use https (or http)`,
    );
  }
  return url;
}

/**
 * Resolve a URL's host to all its addresses and refuse it when any of them is not public
 * (unless private networks are allowed). A host with one public and one private address is
 * refused: which one a connection would use is not ours to choose.
 * Throws UrlRefusedError (permanent) or DependencyUnavailableError when DNS fails (transient).
 */
export async function resolveTarget(rawUrl: string, options: ResolveOptions): Promise<ResolvedTarget> {
  const url = parseHttpUrl(rawUrl);
  const hostname = url.hostname.replace(/^\[|\]$/g, "");
  let addresses: LookupAddress[];
  const family = isIP(hostname);
  if (family !== 0) {
    addresses = [{ address: hostname, family }];
  } else {
    try {
      addresses = await (options.resolver ?? systemResolver)(hostname);
    } catch (err) {
      throw new DependencyUnavailableError(
        "http",
        `cannot resolve the webhook host (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
        {
          cause: err,
        },
      );
    }
    if (addresses.length === 0)
      throw new DependencyUnavailableError("http", "the webhook host has no addresses");
  }
  if (!options.allowPrivateNetworks) {
    for (const a of addresses) {
      const kind = classifyAddress(a.address);
      if (kind !== "public") {
        throw new UrlRefusedError(
          kind,
          `the webhook URL resolves to a ${kind.replace("_", "-")} address (${a.address}); such destinations are refused unless WEBHOOK_ALLOW_PRIVATE_NETWORKS=true`,
        );
      }
    }
  }
  return { url, hostname, addresses };
}

/**
 * A `lookup` for node:http/https/net that answers with the addresses already checked, so the
 * connection goes exactly where the check looked (no DNS rebinding between check and connect).
 */
export function pinnedLookup(addresses: readonly LookupAddress[]): LookupFunction {
  return ((
    _hostname: string,
    options: { all?: boolean; family?: number | string },
    callback: (...args: unknown[]) => void,
  ) => {
    const wanted =
      options?.family === 4 || options?.family === "IPv4"
        ? 4
        : options?.family === 6 || options?.family === "IPv6"
          ? 6
          : 0;
    const usable = wanted === 0 ? addresses : addresses.filter((a) => a.family === wanted);
    if (usable.length === 0) {
      const err = Object.assign(new Error("no checked address of the requested family"), {
        code: "ENOTFOUND",
      });
      callback(err, options?.all ? [] : undefined, undefined);
      return;
    }
    if (options?.all)
      callback(
        null,
        usable.map((a) => ({ address: a.address, family: a.family })),
      );
    else callback(null, usable[0]!.address, usable[0]!.family);
  }) as unknown as LookupFunction;
}

/**
 * The API's early check of a webhook URL (PUT /v1/accounts): refuse bad schemes and hosts on
 * non-public addresses. A host that does not resolve right now is accepted (it may be set up
 * later, and the dispatcher checks again before every delivery).
 */
export async function checkWebhookUrl(
  rawUrl: string,
  options: ResolveOptions & { timeoutMs?: number },
): Promise<void> {
  parseHttpUrl(rawUrl);
  if (options.allowPrivateNetworks) return;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), options.timeoutMs ?? 2_000);
  });
  try {
    await Promise.race([resolveTarget(rawUrl, options), timeout]);
  } catch (err) {
    if (err instanceof UrlRefusedError) throw err;
  } finally {
    clearTimeout(timer);
  }
}
