/**
 * One place for every name derived from OPTOUT_NAMESPACE: NATS subjects, stream and consumer
 * names, Redis key prefixes. Several installations (or parallel test runs) share one NATS and
 * one Redis by using different namespaces.
 */

const NAMESPACE_PATTERN = /^[a-z][a-z0-9_-]{0,39}$/;

export function isValidNamespace(ns: string): boolean {
  return NAMESPACE_PATTERN.test(ns);
}

export interface Names {
  readonly namespace: string;
  readonly subjects: {
    readonly inboundSms: string;
    readonly inboundLink: string;
    readonly inboundEmail: string;
    readonly outboundWebhook: string;
    readonly outboundSms: string;
    /** `<ns>.events.<channel>.<action>` */
    event(channel: string, action: string): string;
    readonly eventsAll: string;
    readonly check: string;
    /** The compact bulk check: binary packed numbers in, a bitmap out. */
    readonly checkBulk: string;
    readonly tag: string;
    /** `<ns>.dlq.<rest of the original subject>` */
    dlqFor(subject: string): string;
    readonly dlqAll: string;
  };
  readonly streams: {
    readonly inboundSms: string;
    readonly inboundLink: string;
    readonly inboundEmail: string;
    readonly outbound: string;
    readonly events: string;
    readonly dlq: string;
  };
  /** Durable consumer name for a worker, e.g. `optout-sms-inbound`. */
  consumer(worker: string): string;
  /** Queue group for request-reply responders. */
  queueGroup(worker: string): string;
  /** Redis key prefix, e.g. `optout:`. */
  readonly redisPrefix: string;
}

export function namesFor(namespace: string): Names {
  if (!isValidNamespace(namespace)) {
    throw new Error(
      `OPTOUT_NAMESPACE "${namespace}" is invalid: use 1-40 lower-case letters, digits, "_" or "-", starting with a letter`,
    );
  }
  const ns = namespace;
  const stream = (suffix: string) => `${ns.toUpperCase().replace(/-/g, "_")}_${suffix}`;
  return Object.freeze({
    namespace: ns,
    subjects: Object.freeze({
      inboundSms: `${ns}.inbound.sms`,
      inboundLink: `${ns}.inbound.link`,
      inboundEmail: `${ns}.inbound.email`,
      outboundWebhook: `${ns}.outbound.webhook`,
      outboundSms: `${ns}.outbound.sms`,
      event: (channel: string, action: string) => `${ns}.events.${channel}.${action}`,
      eventsAll: `${ns}.events.>`,
      check: `${ns}.check`,
      checkBulk: `${ns}.check.bulk`,
      tag: `${ns}.tag`,
      dlqFor: (subject: string) => {
        const rest = subject.startsWith(`${ns}.`) ? subject.slice(ns.length + 1) : subject;
        return `${ns}.dlq.${rest}`;
      },
      dlqAll: `${ns}.dlq.>`,
    }),
    streams: Object.freeze({
      inboundSms: stream("INBOUND_SMS"),
      inboundLink: stream("INBOUND_LINK"),
      inboundEmail: stream("INBOUND_EMAIL"),
      outbound: stream("OUTBOUND"),
      events: stream("EVENTS"),
      dlq: stream("DLQ"),
    }),
    consumer: (worker: string) => `${ns}-${worker}`,
    queueGroup: (worker: string) => `${ns}-${worker}`,
    redisPrefix: `${ns}:`,
  });
}
