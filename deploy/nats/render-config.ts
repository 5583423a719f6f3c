/**
 * The NATS users of one installation and what each may publish and subscribe to, derived from
 * the same names the code uses (namesFor(namespace)), rendered as a nats-server configuration:
 * one account with JetStream, one user per service, an admin and two example clients.
 *
 *   node --conditions=development --import tsx deploy/nats/render-config.ts \
 *     [--namespace optout] [--user-prefix ""] [--out deploy/nats/optout-nats.conf] \
 *     [--passwords optout-nats-passwords.conf]
 *
 * deploy/nats/optout-nats.conf is this output for the default namespace; a test keeps it equal
 * to a fresh rendering, and starts a nats-server with it to show that every worker works with
 * its own user and is refused outside its permissions (test/faults/nats-permissions.test.ts).
 */
import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { basename } from "node:path";
import { parseArgs } from "node:util";
import { namesFor, type Names } from "../../packages/core/src/index.js";
import type { ConsumerDefinition } from "@optout/runtime/definition";
import { EMAIL_UNSUBSCRIBE_WORKER } from "@optout/service-email-unsubscribe/definition";
import { LINK_CLICK_WORKER } from "@optout/service-link-click/definition";
import { SMS_INBOUND_WORKER } from "@optout/service-sms-inbound/definition";
import { WEBHOOK_DISPATCH_WORKER } from "@optout/service-webhook-dispatch/definition";

/** The workers, each with a NATS user of the same name (services/<name>). */
export const SERVICE_USERS = [
  "sms-inbound",
  "link-click",
  "email-unsubscribe",
  "suppression-check",
  "tag",
  "webhook-dispatch",
  "edge",
  "api",
] as const;
/** Migrations, streams and the operator's CLI (`optout dlq ...`, `optout migrate`). */
export const ADMIN_USER = "optout-admin";
/** Examples for the systems around the product: an SMS gateway and a campaign sender. */
export const CLIENT_USERS = ["sms-gateway", "campaign-sender"] as const;

export type NatsUser = (typeof SERVICE_USERS)[number] | typeof ADMIN_USER | (typeof CLIENT_USERS)[number];

/**
 * A responder may answer each request it received, and only those: `allow_responses` instead
 * of a publish right on `_INBOX.>` (which would let it write into any client's replies).
 * Up to 10,000 messages per request: a chunked reply has at most one part per recipient.
 */
export const RESPONDER_REPLIES = { max: 10_000, expires: "1m" } as const;

export interface UserPermissions {
  /** Why the user exists and what it does, for the comment above it. */
  summary: string;
  publish: string[];
  subscribe: string[];
  allowResponses?: { max: number; expires: string };
}

const INBOX = "_INBOX.>";

/** What every process does at start: jetstreamManager() asks $JS.API.INFO; ensureStreams reads each stream. */
function startUp(names: Names): string[] {
  return ["$JS.API.INFO", ...Object.values(names.streams).map((s) => `$JS.API.STREAM.INFO.${s}`)];
}

/**
 * A worker's own durable pull consumer: look it up, create it or bring its ack_wait and
 * max_deliver to the configuration (ensureDurableConsumer, with the filter subject in the API
 * subject, so the consumer cannot be pointed at another subject), pull, ack/nak/term, and turn
 * a max-deliveries advisory into a dead letter (which reads the message back by sequence).
 * Servers before 2.9 used `$JS.API.CONSUMER.DURABLE.CREATE.<stream>.<durable>`, which carries
 * no filter: not granted (2.9 is the oldest server this project supports).
 */
function durableConsumer(
  stream: string,
  durable: string,
  filter: string,
): Pick<UserPermissions, "publish" | "subscribe"> {
  return {
    publish: [
      `$JS.API.CONSUMER.INFO.${stream}.${durable}`,
      `$JS.API.CONSUMER.CREATE.${stream}.${durable}.${filter}`,
      `$JS.API.CONSUMER.MSG.NEXT.${stream}.${durable}`,
      `$JS.ACK.${stream}.${durable}.>`,
      `$JS.API.STREAM.MSG.GET.${stream}`,
    ],
    subscribe: [`$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${stream}.${durable}`],
  };
}

/** A consumer worker: its durable consumer on the stream and subject of its definition; it may publish `publishes` (events, jobs) and its dead letters. */
function consumerWorker(
  names: Names,
  worker: ConsumerDefinition,
  summary: string,
  publishes: string[],
): UserPermissions {
  const subject = names.subjects[worker.subject];
  const consumer = durableConsumer(names.streams[worker.stream], names.consumer(worker.name), subject);
  return {
    summary,
    publish: [...startUp(names), ...consumer.publish, ...publishes, names.subjects.dlqFor(subject)],
    subscribe: [INBOX, ...consumer.subscribe],
  };
}

function responder(names: Names, summary: string, subjects: string[]): UserPermissions {
  return {
    summary,
    publish: startUp(names),
    subscribe: [INBOX, ...subjects],
    allowResponses: { ...RESPONDER_REPLIES },
  };
}

/** Everything on the installation's streams, for migrations, stream management and the CLI. */
function admin(names: Names): UserPermissions {
  const perStream = Object.values(names.streams).flatMap((s) => [
    `$JS.API.STREAM.*.${s}`,
    `$JS.API.STREAM.MSG.*.${s}`,
    `$JS.API.DIRECT.GET.${s}`,
    `$JS.API.DIRECT.GET.${s}.>`,
    `$JS.API.CONSUMER.*.${s}`,
    `$JS.API.CONSUMER.*.${s}.>`,
    `$JS.API.CONSUMER.DURABLE.CREATE.${s}.>`,
    `$JS.API.CONSUMER.MSG.NEXT.${s}.>`,
    `$JS.ACK.${s}.>`,
  ]);
  return {
    summary: `migrations, streams and consumers, dead letters, the CLI: the installation's streams and subjects, nothing else in the account`,
    publish: [
      "$JS.API.INFO",
      "$JS.API.STREAM.NAMES",
      "$JS.API.STREAM.LIST",
      ...perStream,
      `${names.namespace}.>`,
    ],
    subscribe: [INBOX, `${names.namespace}.>`],
  };
}

/** The permissions of every user of the installation `names`, keyed by user name (without prefix). */
export function natsPermissions(names: Names): Record<NatsUser, UserPermissions> {
  const s = names.subjects;
  const st = names.streams;
  const anyEvent = `${names.namespace}.events.*.*`;
  const dlq = st.dlq;
  return {
    "sms-inbound": consumerWorker(
      names,
      SMS_INBOUND_WORKER,
      `consumes ${s.inboundSms}; publishes the change events of SMS opt-outs/ins, webhook jobs, confirmation and HELP SMS`,
      [s.event("sms", "*"), s.outboundWebhook, s.outboundSms],
    ),
    "link-click": consumerWorker(
      names,
      LINK_CLICK_WORKER,
      `consumes ${s.inboundLink}; publishes change events (a link names its channel) and webhook jobs`,
      [anyEvent, s.outboundWebhook],
    ),
    "email-unsubscribe": consumerWorker(
      names,
      EMAIL_UNSUBSCRIBE_WORKER,
      `consumes ${s.inboundEmail}; publishes email change events and webhook jobs`,
      [s.event("email", "*"), s.outboundWebhook],
    ),
    "suppression-check": responder(
      names,
      `answers ${s.check} and the variants below it (${s.check}.bulk), queue group ${names.queueGroup("suppression-check")}`,
      // The subjects below optout.check belong to this service: another encoding of the same check.
      [s.check, `${s.check}.>`],
    ),
    tag: responder(names, `answers ${s.tag}, queue group ${names.queueGroup("tag")}`, [s.tag]),
    "webhook-dispatch": consumerWorker(
      names,
      WEBHOOK_DISPATCH_WORKER,
      `consumes ${s.outboundWebhook} from ${st.outbound}; publishes only its dead letters`,
      [],
    ),
    edge: {
      summary: `the public HTTP edge: publishes link clicks and one-click unsubscribes, nothing else`,
      publish: [...startUp(names), s.inboundLink, s.inboundEmail],
      subscribe: [INBOX],
    },
    api: {
      summary:
        `records opt-outs/ins (change events, webhook jobs); lists, reads, replays and deletes dead letters ` +
        `(ordered consumers on ${dlq}; a replay publishes to the original inbound/outbound subject)`,
      publish: [
        ...startUp(names),
        anyEvent,
        `${names.namespace}.inbound.*`,
        `${names.namespace}.outbound.*`,
        `$JS.API.STREAM.MSG.GET.${dlq}`,
        `$JS.API.STREAM.MSG.DELETE.${dlq}`,
        `$JS.API.CONSUMER.CREATE.${dlq}.>`,
        `$JS.API.CONSUMER.INFO.${dlq}.>`,
        `$JS.API.CONSUMER.DELETE.${dlq}.>`,
        `$JS.API.CONSUMER.MSG.NEXT.${dlq}.>`,
      ],
      subscribe: [INBOX],
    },
    [ADMIN_USER]: admin(names),
    "sms-gateway": {
      summary: `example client: publishes ${s.inboundSms}, reads ${s.outboundSms} with its own durable ${names.consumer("sms-gateway")}`,
      publish: [
        "$JS.API.INFO",
        s.inboundSms,
        ...durableConsumer(st.outbound, names.consumer("sms-gateway"), s.outboundSms).publish,
      ],
      subscribe: [INBOX],
    },
    "campaign-sender": {
      summary: `example client: asks ${s.check} (and its variants, ${s.check}.bulk) and ${s.tag}`,
      publish: [s.check, `${s.check}.>`, s.tag],
      subscribe: [INBOX],
    },
  } satisfies Record<NatsUser, UserPermissions>;
}

/** How a user proves who it is: a password (or bcrypt hash) from the passwords include, or an NKey. */
export type UserAuth = { passwordVariable: string } | { password: string } | { nkey: string };

/** The file, next to the configuration, that defines the password variables (a mounted secret). */
export const DEFAULT_PASSWORDS_INCLUDE = "optout-nats-passwords.conf";

export interface RenderOptions {
  namespace: string;
  /** Prepended to every user name: users are per server, so a second installation needs its own names. */
  userPrefix?: string;
  /** Per user (without prefix): how it authenticates. Default: a password from `passwordVariable(user)`. */
  auth?: Partial<Record<NatsUser, UserAuth>>;
  /** The include that defines the password variables (default DEFAULT_PASSWORDS_INCLUDE). */
  passwordsInclude?: string;
  /** JetStream store directory of the server. */
  storeDir?: string;
}

/** `OPTOUT_NATS_PASSWORD_SMS_INBOUND`: the configuration variable holding a user's password. */
export function passwordVariable(user: string): string {
  return `OPTOUT_NATS_PASSWORD_${user.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}

/** The account that holds the installation's users and streams. */
export function accountName(namespace: string): string {
  return namespace.toUpperCase().replace(/-/g, "_");
}

const quote = (s: string) => JSON.stringify(s);

function list(items: string[], indent: string): string {
  return `[\n${items.map((i) => `${indent}  ${quote(i)}`).join("\n")}\n${indent}]`;
}

function authLines(auth: UserAuth, indent: string): string[] {
  if ("nkey" in auth) return [`${indent}nkey: ${auth.nkey}`];
  // An unquoted $NAME is a variable: defined by the passwords include (an error at start if not).
  if ("passwordVariable" in auth) return [`${indent}password: $${auth.passwordVariable}`];
  return [`${indent}password: ${quote(auth.password)}`];
}

/** The users of an installation with their names on the server (prefix applied). */
function userNames(options: Pick<RenderOptions, "userPrefix">): { user: NatsUser; name: string }[] {
  const all: NatsUser[] = [...SERVICE_USERS, ADMIN_USER, ...CLIENT_USERS];
  return all.map((user) => ({ user, name: `${options.userPrefix ?? ""}${user}` }));
}

/** The nats-server configuration of one installation. */
export function renderNatsConfig(options: RenderOptions): string {
  const names = namesFor(options.namespace);
  const permissions = natsPermissions(names);
  const authOf = (user: NatsUser, name: string): UserAuth =>
    options.auth?.[user] ?? { passwordVariable: passwordVariable(name) };
  const users = userNames(options).map(({ user, name }) => {
    const p = permissions[user];
    const auth = authOf(user, name);
    const i = "        ";
    return [
      `      # ${name}: ${p.summary}`,
      `      {`,
      ...("nkey" in auth ? [] : [`${i}user: ${quote(name)}`]),
      ...authLines(auth, i),
      `${i}permissions: {`,
      `${i}  publish: { allow: ${list(p.publish, `${i}  `)} }`,
      `${i}  subscribe: { allow: ${list(p.subscribe, `${i}  `)} }`,
      ...(p.allowResponses
        ? [
            `${i}  allow_responses: { max: ${p.allowResponses.max}, expires: ${quote(p.allowResponses.expires)} }`,
          ]
        : []),
      `${i}}`,
      `      }`,
    ].join("\n");
  });
  const usesVariables = userNames(options).some(({ user, name }) => "passwordVariable" in authOf(user, name));
  const include = options.passwordsInclude ?? DEFAULT_PASSWORDS_INCLUDE;
  return `# nats-server configuration for the opt-out installation "${names.namespace}".
# Generated by deploy/nats/render-config.ts from packages/core namesFor("${names.namespace}"):
# change the script, not this file (a test compares them). See deploy/nats/README.md.
#
# One account (${accountName(names.namespace)}) with JetStream; every service has its own user and may
# publish and subscribe to exactly what it needs. Everything else is refused ("Permissions
# Violation"). Listen address, cluster, TLS and monitoring are the operator's: add them here
# or include this file from the main configuration.
${
  usesVariables
    ? `
# The passwords are variables (${passwordVariable(userNames(options)[0]?.name ?? "")}: "...", one per user, plain or a
# bcrypt hash) defined in the file included here, a secret mounted next to this one.
# render-config.ts --passwords <file> writes one with random passwords.
include ${quote(include)}
`
    : ""
}
jetstream {
  store_dir: ${quote(options.storeDir ?? "/data/jetstream")}
}

accounts {
  ${accountName(names.namespace)}: {
    jetstream: enabled
    users: [
${users.join("\n")}
    ]
  }
}
`;
}

/**
 * The passwords include: one quoted variable per user. Values are quoted, so any password (or a
 * bcrypt hash, which starts with "$") is taken as it is. Each service gets its own as NATS_PASSWORD.
 */
export function renderPasswordsInclude(
  passwords: Partial<Record<NatsUser, string>>,
  options: Pick<RenderOptions, "userPrefix"> = {},
): string {
  const lines = userNames(options)
    .filter(({ user }) => passwords[user] !== undefined)
    .map(({ user, name }) => `${passwordVariable(name)}: ${quote(passwords[user] ?? "")}`);
  return `# Passwords of the opt-out NATS users (a secret: mount it next to the configuration).\n${lines.join("\n")}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      namespace: { type: "string", default: "optout" },
      "user-prefix": { type: "string", default: "" },
      out: { type: "string" },
      passwords: { type: "string" },
    },
  });
  const options: RenderOptions = {
    namespace: values.namespace,
    userPrefix: values["user-prefix"],
    // The configuration includes the passwords file by its name: keep the two side by side.
    ...(values.passwords ? { passwordsInclude: basename(values.passwords) } : {}),
  };
  const text = renderNatsConfig(options);
  if (values.out) await writeFile(values.out, text);
  else process.stdout.write(text);
  if (values.passwords) {
    const passwords = Object.fromEntries(
      userNames(options).map(({ user }) => [user, randomBytes(24).toString("base64url")]),
    ) as Record<NatsUser, string>;
    // Owner-only: it holds every password of the installation.
    await writeFile(values.passwords, renderPasswordsInclude(passwords, options), { mode: 0o600 });
    process.stderr.write(
      `wrote ${values.passwords}: give each service its own line's value as NATS_PASSWORD\n`,
    );
  }
}
