/**
 * A real HTTP webhook receiver on 127.0.0.1 for tests: records every request with its raw
 * body, and answers as the test says (a status, or dropping the connection).
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { ChangeEvent } from "@optout/schemas";

export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  rawBody: string;
  event: ChangeEvent;
  /** What the receiver answered: a status, or "dropped" (socket destroyed before any answer). */
  answer: number | "dropped";
}

/** Decide the answer to a request; `attempt` counts this event's requests, from 1. */
export type Responder = (
  event: ChangeEvent,
  attempt: number,
) => number | "drop" | { status: number; headers?: Record<string, string> };

export interface WebhookReceiver {
  url: string;
  requests: ReceivedRequest[];
  /** Requests answered 2xx, in arrival order. */
  accepted(): ReceivedRequest[];
  respond: Responder;
  close(): Promise<void>;
}

export async function startWebhookReceiver(respond: Responder = () => 200): Promise<WebhookReceiver> {
  const attempts = new Map<string, number>();
  const receiver: WebhookReceiver = {
    url: "",
    requests: [],
    accepted: () =>
      receiver.requests.filter((r) => typeof r.answer === "number" && r.answer >= 200 && r.answer < 300),
    respond,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const rawBody = Buffer.concat(chunks).toString("utf8");
      const event = JSON.parse(rawBody) as ChangeEvent;
      const attempt = (attempts.get(event.eventId) ?? 0) + 1;
      attempts.set(event.eventId, attempt);
      const decision = receiver.respond(event, attempt);
      if (decision === "drop") {
        receiver.requests.push({ headers: req.headers, rawBody, event, answer: "dropped" });
        req.socket.destroy();
        return;
      }
      const { status, headers } = typeof decision === "number" ? { status: decision, headers: {} } : decision;
      receiver.requests.push({ headers: req.headers, rawBody, event, answer: status });
      res.writeHead(status, { "content-type": "text/plain", ...headers }).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return receiver;
}
