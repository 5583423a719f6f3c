import { accessSync, constants as fsConstants, readFileSync } from "node:fs";
import {
  credsAuthenticator,
  errors as natsErrors,
  nkeyAuthenticator,
  nkeys,
  type Authenticator,
  type TlsOptions,
} from "@nats-io/nats-core";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { ConfigError, DependencyUnavailableError, type Logger } from "@optout/core";

export type { NatsConnection } from "@nats-io/transport-node";

/**
 * How a process proves who it is to NATS and how it checks the server: the `NATS_*` credential
 * and TLS variables of @optout/config, under their config field names (so a loaded config can
 * be passed as it is). At most one way to authenticate: user+password, token, NKey seed (value
 * or file) or a `.creds` file. Unset: no credentials, TLS only when the server asks for it.
 */
export interface NatsSecurityConfig {
  natsUser?: string | undefined;
  natsPassword?: string | undefined;
  natsToken?: string | undefined;
  natsNkeySeed?: string | undefined;
  natsNkeySeedFile?: string | undefined;
  natsCredsFile?: string | undefined;
  natsTlsCaFile?: string | undefined;
  natsTlsCertFile?: string | undefined;
  natsTlsKeyFile?: string | undefined;
}

export interface ConnectNatsOptions {
  servers: string;
  name: string;
  logger?: Logger;
  /** Fail start-up after this long instead of hanging. */
  timeoutMs?: number;
  /** Credentials and TLS (NATS_USER, NATS_CREDS_FILE, NATS_TLS_CA_FILE...). */
  security?: NatsSecurityConfig;
}

export const DEFAULT_NATS_CONNECT_TIMEOUT_MS = 5_000;

/** The connection options a security configuration turns into (files checked, secrets parsed). */
export interface NatsSecurityOptions {
  user?: string;
  pass?: string;
  token?: string;
  authenticator?: Authenticator;
  tls?: TlsOptions;
  /** How the process authenticates, for logs and errors (never a secret). */
  auth: "none" | `user ${string}` | "token" | "nkey" | "creds";
}

const encoder = new TextEncoder();

/** A file the process must be able to read, or a ConfigError naming its variable. */
function readable(variable: string, path: string): string {
  try {
    accessSync(path, fsConstants.R_OK);
    return path;
  } catch (err) {
    throw new ConfigError(
      `${variable}=${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): mount the file there or fix the path`,
      { cause: err },
    );
  }
}

function nkeySeed(variable: string, seed: string): Uint8Array {
  const bytes = encoder.encode(seed.trim());
  try {
    nkeys.fromSeed(bytes);
  } catch (err) {
    throw new ConfigError(
      `${variable} does not hold a valid NKey user seed (SU..., 58 characters): use the seed nsc or nk generated`,
      {
        cause: err,
      },
    );
  }
  return bytes;
}

const CREDS_JWT = /-----BEGIN NATS USER JWT-----/;
const CREDS_SEED = /-----BEGIN USER NKEY SEED-----/;

/**
 * Validate the credential and TLS settings and turn them into connection options. Every file
 * is checked now, so a wrong path stops the process at start with the variable's name instead
 * of a connection that keeps failing. Files are read again at each (re)connection, so rotated
 * credentials are picked up without a restart.
 */
export function natsSecurityOptions(security: NatsSecurityConfig = {}, servers = ""): NatsSecurityOptions {
  const s = security;
  const ways = [
    s.natsUser || s.natsPassword ? "NATS_USER/NATS_PASSWORD" : undefined,
    s.natsToken ? "NATS_TOKEN" : undefined,
    s.natsNkeySeed ? "NATS_NKEY_SEED" : undefined,
    s.natsNkeySeedFile ? "NATS_NKEY_SEED_FILE" : undefined,
    s.natsCredsFile ? "NATS_CREDS_FILE" : undefined,
  ].filter((w): w is string => w !== undefined);
  if (ways.length > 1) {
    throw new ConfigError(
      `NATS credentials are given more than one way (${ways.join(", ")}): set only one of them`,
    );
  }
  const out: NatsSecurityOptions = { auth: "none" };
  if (s.natsUser || s.natsPassword) {
    if (!s.natsUser)
      throw new ConfigError("NATS_PASSWORD is set but NATS_USER is not: export the user name too");
    if (!s.natsPassword)
      throw new ConfigError(
        `NATS_USER=${s.natsUser} is set but NATS_PASSWORD is not: export its password too`,
      );
    out.user = s.natsUser;
    out.pass = s.natsPassword;
    out.auth = `user ${s.natsUser}`;
  } else if (s.natsToken) {
    out.token = s.natsToken;
    out.auth = "token";
  } else if (s.natsNkeySeed) {
    out.authenticator = nkeyAuthenticator(nkeySeed("NATS_NKEY_SEED", s.natsNkeySeed));
    out.auth = "nkey";
  } else if (s.natsNkeySeedFile) {
    const path = readable("NATS_NKEY_SEED_FILE", s.natsNkeySeedFile);
    nkeySeed(`NATS_NKEY_SEED_FILE=${path}`, readFileSync(path, "utf8"));
    out.authenticator = nkeyAuthenticator(() => encoder.encode(readFileSync(path, "utf8").trim()));
    out.auth = "nkey";
  } else if (s.natsCredsFile) {
    const path = readable("NATS_CREDS_FILE", s.natsCredsFile);
    const text = readFileSync(path, "utf8");
    if (!CREDS_JWT.test(text) || !CREDS_SEED.test(text)) {
      throw new ConfigError(
        `NATS_CREDS_FILE=${path} is not a .creds file (a user JWT and an NKey seed between BEGIN/END lines): use the file nsc generate creds wrote`,
      );
    }
    out.authenticator = credsAuthenticator(() => readFileSync(path));
    out.auth = "creds";
  }

  if (s.natsTlsCertFile && !s.natsTlsKeyFile) {
    throw new ConfigError(
      "NATS_TLS_CERT_FILE is set but NATS_TLS_KEY_FILE is not: a client certificate needs its key",
    );
  }
  if (s.natsTlsKeyFile && !s.natsTlsCertFile) {
    throw new ConfigError(
      "NATS_TLS_KEY_FILE is set but NATS_TLS_CERT_FILE is not: a client key needs its certificate",
    );
  }
  const tls: TlsOptions = {};
  if (s.natsTlsCaFile) tls.caFile = readable("NATS_TLS_CA_FILE", s.natsTlsCaFile);
  if (s.natsTlsCertFile) tls.certFile = readable("NATS_TLS_CERT_FILE", s.natsTlsCertFile);
  if (s.natsTlsKeyFile) tls.keyFile = readable("NATS_TLS_KEY_FILE", s.natsTlsKeyFile);
  // tls:// asks for TLS whatever the server offers: the client then refuses a plain-text
  // server instead of sending credentials over it.
  const wantsTls = servers.split(",").some((u) => /^\s*tls:\/\//i.test(u));
  if (wantsTls || Object.keys(tls).length > 0) out.tls = tls;
  return out;
}

/** Connect, reconnect forever once connected, and log connection state changes. */
export async function connectNats(options: ConnectNatsOptions): Promise<NatsConnection> {
  const servers = options.servers
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const { auth, ...security } = natsSecurityOptions(options.security, options.servers);
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
      ...security,
    });
  } catch (err) {
    if (
      err instanceof natsErrors.AuthorizationError ||
      err instanceof natsErrors.UserAuthenticationExpiredError
    ) {
      throw new ConfigError(
        `nats: ${servers.join(",")} refused the credentials (${auth}: ${(err as Error).message}): check NATS_USER/NATS_PASSWORD, NATS_TOKEN, NATS_NKEY_SEED(_FILE) or NATS_CREDS_FILE against the server's configuration (deploy/nats/)`,
        { cause: err },
      );
    }
    throw new DependencyUnavailableError(
      "nats",
      `cannot connect to ${servers.join(",")} (${(err as Error).message}): start nats-server with -js or set NATS_URL` +
        (security.tls ? "; with TLS, check NATS_TLS_CA_FILE/NATS_TLS_CERT_FILE/NATS_TLS_KEY_FILE" : ""),
      { cause: err },
    );
  }
  const logger = options.logger;
  if (logger) {
    void (async () => {
      for await (const s of nc.status()) {
        if (s.type === "error") {
          // A permissions violation (a subject this user may not use) does not close the
          // connection: without this line it would only show as a timeout somewhere else.
          const permission = s.error instanceof natsErrors.PermissionViolationError ? s.error : undefined;
          logger.warn(
            {
              nats: s.type,
              err: s.error.message,
              ...(permission ? { operation: permission.operation, subject: permission.subject } : {}),
            },
            permission ? "nats permissions violation" : "nats connection error",
          );
        } else if (s.type === "disconnect" || s.type === "reconnect" || s.type === "slowConsumer") {
          logger.warn({ nats: s.type, data: "server" in s ? s.server : undefined }, "nats connection status");
        }
      }
    })().catch(() => undefined);
  }
  return nc;
}
