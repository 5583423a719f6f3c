/**
 * The client: one object per connection and namespace, with no global state. It borrows a
 * connection it is given (close() leaves it open) or opens and owns one (close() drains it).
 */
import { jetstream, type JetStreamClient } from "@nats-io/jetstream";
import { connectNats, requestBulkCheck, type NatsConnection, type NatsSecurityConfig } from "@optout/bus";
import { namesFor, type Names } from "@optout/core";
import type {
  BulkCheckHeader,
  BulkCheckReply,
  CheckResult,
  InboundEmail,
  InboundLink,
  InboundSms,
} from "@optout/schemas";
import { followChanges, type ChangeFeed, type ChangesOptions } from "./changes.js";
import { checkRecipients, type CheckOptions, type CheckQuery } from "./check.js";
import { publishEmailUnsubscribe, publishLinkClick, publishSms, type PublishAck } from "./publish.js";
import { retryPolicy, type RetryOptions } from "./retry.js";

export const DEFAULT_NAMESPACE = "optout";

interface CommonOptions {
  /** The installation's subject prefix (its OPTOUT_NAMESPACE; default "optout"). */
  namespace?: string;
  /** Retries of check requests that may pass later (no responder, timeout, 503). */
  retry?: RetryOptions;
}

export interface ClientOptions extends CommonOptions {
  /** An open connection: the client uses it and leaves it open on close(). */
  connection: NatsConnection;
}

export interface ConnectOptions extends CommonOptions {
  /** NATS servers, comma-separated (like NATS_URL), e.g. "nats://127.0.0.1:4222". */
  servers: string;
  /** Connection name shown by the server (default "optout-client"). */
  name?: string;
  /** Credentials and TLS, as the workers take them (natsUser/natsPassword, natsCredsFile...). */
  security?: NatsSecurityConfig;
  /** Fail the connect after this long instead of hanging. */
  timeoutMs?: number;
}

export interface BulkCheckOptions {
  /** Requests in flight at once (default 4). */
  inFlight?: number;
  timeoutMs?: number;
}

export interface OptoutClient {
  readonly names: Names;
  readonly connection: NatsConnection;
  /** Campaign senders: is each recipient suppressed? Any number; results in the input order. */
  check(
    query: CheckQuery & { recipients: readonly string[] },
    options?: CheckOptions,
  ): Promise<CheckResult[]>;
  /** Campaign senders, numbers only: a bitmap (bit i = numbers[i] suppressed) and the exceptions. Numbers must be E.164. */
  checkBulk(
    header: BulkCheckHeader,
    numbers: readonly string[],
    options?: BulkCheckOptions,
  ): Promise<BulkCheckReply>;
  /** Gateways: an inbound SMS, `id` as Nats-Msg-Id. */
  publishSms(sms: InboundSms): Promise<PublishAck>;
  /** Gateways (or the edge): a click on an opt-out link. */
  publishLinkClick(click: InboundLink): Promise<PublishAck>;
  /** Gateways (mail): an email unsubscribe. */
  publishEmailUnsubscribe(unsubscribe: InboundEmail): Promise<PublishAck>;
  /** Follow the change feed from the saved position. */
  changes(options?: ChangesOptions): ChangeFeed;
  /** Close the change feeds opened by this client; drain the connection if the client opened it. Idempotent. */
  close(): Promise<void>;
}

/** A client on an open connection. */
export function createOptoutClient(options: ClientOptions): OptoutClient {
  return build(options.connection, options, false);
}

/** Connect to NATS and return a client that owns the connection. */
export async function connectOptoutClient(options: ConnectOptions): Promise<OptoutClient> {
  const names = namesFor(options.namespace ?? DEFAULT_NAMESPACE);
  const nc = await connectNats({
    servers: options.servers,
    name: options.name ?? "optout-client",
    ...(options.security ? { security: options.security } : {}),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
  return build(nc, { ...options, namespace: names.namespace }, true);
}

function build(nc: NatsConnection, options: CommonOptions, owned: boolean): OptoutClient {
  const names = namesFor(options.namespace ?? DEFAULT_NAMESPACE);
  const retry = retryPolicy(options.retry);
  const js: JetStreamClient = jetstream(nc);
  const feeds = new Set<ChangeFeed>();
  let closing: Promise<void> | undefined;
  const checkContext = { nc, subject: names.subjects.check, retry };
  const publishContext = { js, names };

  return Object.freeze({
    names,
    connection: nc,
    check: ({ recipients, ...query }, checkOptions) =>
      checkRecipients(checkContext, query, recipients, checkOptions),
    checkBulk: (header, numbers, bulkOptions = {}) =>
      requestBulkCheck(nc, names.subjects.checkBulk, header, numbers, bulkOptions),
    publishSms: (sms) => publishSms(publishContext, sms),
    publishLinkClick: (click) => publishLinkClick(publishContext, click),
    publishEmailUnsubscribe: (unsubscribe) => publishEmailUnsubscribe(publishContext, unsubscribe),
    changes(changesOptions) {
      const feed = followChanges({ js, names }, changesOptions);
      feeds.add(feed);
      const close = feed.close;
      return Object.assign(feed, { close: () => close().finally(() => feeds.delete(feed)) });
    },
    close() {
      closing ??= (async () => {
        await Promise.all([...feeds].map((f) => f.close()));
        if (owned) await nc.drain();
      })();
      return closing;
    },
  } satisfies OptoutClient);
}
