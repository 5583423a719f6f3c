import { connect, type NatsConnection } from "@nats-io/transport-node";
import { DependencyUnavailableError, type Logger } from "@optout/core";

export type { NatsConnection } from "@nats-io/transport-node";

export interface ConnectNatsOptions {
  servers: string;
  name: string;
  logger?: Logger;
  /** Fail start-up after this long instead of hanging. */
  timeoutMs?: number;
}

export const DEFAULT_NATS_CONNECT_TIMEOUT_MS = 5_000;

/** Connect, reconnect forever once connected, and log connection state changes. */
export async function connectNats(options: ConnectNatsOptions): Promise<NatsConnection> {
  const servers = options.servers.split(",").map((s) => s.trim()).filter(Boolean);
  let nc: NatsConnection;
  try {
    nc = await connect({
      servers,
      name: options.name,
      timeout: options.timeoutMs ?? DEFAULT_NATS_CONNECT_TIMEOUT_MS,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      waitOnFirstConnect: false,
      // Otherwise every request (each JetStream publish awaits its ack as one) builds two Error
      // objects with stack traces up front, just in case it fails: 15% of an ingest worker's
      // CPU plus the garbage (docs/performance.md). Failures still throw typed errors.
      noAsyncTraces: true,
    });
  } catch (err) {
    throw new DependencyUnavailableError(
      "nats",
      `cannot connect to ${servers.join(",")} (${(err as Error).message}): start nats-server with -js or set NATS_URL`,
      { cause: err },
    );
  }
  const logger = options.logger;
  if (logger) {
    void (async () => {
      for await (const s of nc.status()) {
        if (s.type === "disconnect" || s.type === "reconnect" || s.type === "error" || s.type === "slowConsumer") {
          logger.warn({ nats: s.type, data: "server" in s ? s.server : undefined }, "nats connection status");
        }
      }
    })().catch(() => undefined);
  }
  return nc;
}
