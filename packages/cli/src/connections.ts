/**
 * Connections a command may ask for, opened on first use from the environment (the same
 * variables and validation as the services: @optout/config) and closed once by the runner.
 */
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { loadConfig, NATS_SECURITY_FIELDS } from "@optout/config";
import { namesFor } from "@optout/core";
import { connectNats, type DeadLetterBus, type NatsConnection } from "@optout/bus";

export const CLI_CONNECTION_NAME = "optout-cli";
/** An operator waits this long for NATS before being told what is wrong. */
export const CLI_NATS_CONNECT_TIMEOUT_MS = 5_000;

export interface Connections {
  bus(): Promise<DeadLetterBus>;
  /** The NATS connection under bus() (request-reply: optout.check); call as connections.nats(). */
  nats(): Promise<NatsConnection>;
  /** Flush and close whatever was opened. Idempotent. */
  close(): Promise<void>;
}

export function lazyConnections(env: NodeJS.ProcessEnv): Connections {
  let nc: Promise<NatsConnection> | undefined;
  let bus: Promise<DeadLetterBus> | undefined;
  let closing: Promise<void> | undefined;
  return {
    bus() {
      bus ??= (async () => {
        const config = loadConfig(["natsUrl", "namespace", ...NATS_SECURITY_FIELDS], env);
        nc = connectNats({
          servers: config.natsUrl,
          name: CLI_CONNECTION_NAME,
          timeoutMs: CLI_NATS_CONNECT_TIMEOUT_MS,
          security: config,
        });
        const connection = await nc;
        return {
          js: jetstream(connection),
          jsm: await jetstreamManager(connection),
          names: namesFor(config.namespace),
        };
      })();
      return bus;
    },
    async nats() {
      await this.bus();
      return nc!;
    },
    close() {
      closing ??= (async () => {
        const connection = await nc?.catch(() => undefined);
        await connection?.drain().catch(() => undefined);
      })();
      return closing;
    },
  };
}
