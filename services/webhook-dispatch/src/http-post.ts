import { request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";
import { pinnedLookup, type ResolvedTarget } from "@optout/ssrf-guard";
import { verdictForStatus, type AttemptVerdict } from "./retry.js";

/**
 * POST a body to a checked target and turn what happens into a verdict. The socket goes to
 * the checked addresses only (pinned lookup), no agent keeps connections between deliveries
 * (a pooled socket could outlive a changed URL), redirects are not followed, and the whole
 * exchange up to the response headers is bounded by `timeoutMs`.
 */
export function postToTarget(
  target: ResolvedTarget,
  body: Buffer,
  headers: OutgoingHttpHeaders,
  timeoutMs: number,
): Promise<AttemptVerdict> {
  const { url } = target;
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise<AttemptVerdict>((resolve) => {
    let settled = false;
    const finish = (verdict: AttemptVerdict) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(verdict);
    };
    const req = send(
      {
        method: "POST",
        host: target.hostname,
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        headers: { ...headers, "content-length": body.length },
        lookup: pinnedLookup(target.addresses),
        agent: false,
        ...(url.username || url.password
          ? { auth: `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` }
          : {}),
      },
      (res: IncomingMessage) => {
        const retryAfter = res.headers["retry-after"];
        finish(verdictForStatus(res.statusCode ?? 0, Array.isArray(retryAfter) ? retryAfter[0] : retryAfter));
        // The answer's body is not needed: drain it so the socket closes cleanly.
        res.resume();
        res.on("error", () => undefined);
      },
    );
    const timer = setTimeout(() => {
      finish({ kind: "retry", reason: `no answer within ${timeoutMs} ms` });
      req.destroy();
    }, timeoutMs);
    req.on("error", (err: NodeJS.ErrnoException) => {
      finish({ kind: "retry", reason: `connection failed (${err.code ?? err.message})` });
    });
    req.end(body);
  });
}
