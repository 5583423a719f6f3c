import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";
import { ERROR_CODES } from "@optout/core";
import { httpProblem, problemBody } from "./http-errors.js";

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

/**
 * /healthz (the process is alive), /readyz (every check passes: 503 otherwise, so Kubernetes
 * stops routing during start-up and drain), /metrics (Prometheus). Plain node:http: a worker
 * without an HTTP API should not carry a framework for three routes.
 */
export async function startHealthServer(options: {
  port: number;
  host?: string;
  ready: () => boolean;
  /** Why it is not ready (a dependency down, a consumer paused): listed in the 503 body. */
  notReadyReasons?: () => string[];
  registry: Registry;
}): Promise<HealthServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/healthz") {
      res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
    } else if (path === "/readyz") {
      const reasons = options.notReadyReasons?.() ?? [];
      const ready = options.ready() && reasons.length === 0;
      const body = ready ? { status: "ready" } : { status: "not_ready", reasons };
      res.writeHead(ready ? 200 : 503, { "content-type": "application/json" }).end(JSON.stringify(body));
    } else if (path === "/metrics") {
      options.registry
        .metrics()
        .then((body) => res.writeHead(200, { "content-type": options.registry.contentType }).end(body))
        .catch(() => res.writeHead(500).end());
    } else {
      const problem = httpProblem(
        ERROR_CODES.NOT_FOUND,
        "no such route: /healthz, /readyz and /metrics exist",
      );
      res
        .writeHead(problem.status, { "content-type": "application/json" })
        .end(JSON.stringify(problemBody(problem)));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "0.0.0.0", () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
