import { pino, type Logger, type LoggerOptions } from "pino";

export type { Logger } from "pino";

/**
 * Paths that may carry personal data: phone numbers, email addresses, message texts.
 * Guarantee 8 of the design: logs never carry them. Log an identifier through
 * `maskIdentifier` when a hint is needed for support.
 */
export const REDACTED_PATHS = [
  "from",
  "to",
  "text",
  "body",
  "email",
  "identifier",
  "recipient",
  "recipients",
  "phone",
  "subject",
  "*.from",
  "*.to",
  "*.text",
  "*.body",
  "*.email",
  "*.identifier",
  "*.recipient",
  "*.recipients",
  "*.phone",
  "*.subject",
  "req.headers.authorization",
  "*.headers.authorization",
  "secret",
  "*.secret",
  "token",
  "*.token",
];

export interface CreateLoggerOptions {
  name: string;
  level?: string;
  /** Where to write; defaults to stdout. Tests pass a stream to inspect output. */
  destination?: pino.DestinationStream;
}

export function createLogger(options: CreateLoggerOptions): Logger {
  const config: LoggerOptions = {
    name: options.name,
    level: options.level ?? process.env.LOG_LEVEL ?? "info",
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
    base: { pid: process.pid },
  };
  return options.destination ? pino(config, options.destination) : pino(config);
}

/**
 * A secret token (an opt-out link's) as logs and dead-letter reasons show it: "k3Jd9xQ2" ->
 * "k3***". Two characters find it among a campaign's links; they do not let anyone use it.
 */
export function maskToken(token: string): string {
  return `${token.slice(0, Math.min(2, Math.floor(token.length / 4)))}***`;
}

/** "+31612345678" -> "+316******78", "jane@example.com" -> "j***@example.com". */
export function maskIdentifier(identifier: string): string {
  const at = identifier.indexOf("@");
  if (at > 0) return `${identifier[0]}***${identifier.slice(at)}`;
  if (identifier.length <= 6) return "*".repeat(identifier.length);
  return identifier.slice(0, 4) + "*".repeat(identifier.length - 6) + identifier.slice(-2);
}
