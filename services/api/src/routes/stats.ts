/**
 * Opt-out statistics of an account (@optout/store stats.ts): opt-outs per day, channel, source
 * and campaign, and a campaign's opt-out rate. Counted in SQL over the events.
 */
import type { FastifyInstance } from "fastify";
import { InvalidPayloadError, UnknownAccountError } from "@optout/core";
import type { Channel } from "@optout/domain";
import {
  campaignStats,
  optoutStats,
  STATS_DIMENSIONS,
  typed,
  type AccountDirectory,
  type Pool,
  type StatsDimension,
} from "@optout/store";
import { channelsFor } from "../auth.js";
import { ACCOUNT_ID_PARAM, CHANNEL_PARAM } from "./schemas.js";
import { UNKNOWN_ACCOUNT, errorResponse, json } from "../openapi/responses.js";

interface Deps {
  pool: Pool;
  accounts: AccountDirectory;
}

/** The range when `from` is left out: the 30 days before `to`. */
export const DEFAULT_STATS_DAYS = 30;
/** The longest range one request may ask for (grouped by day: one row per day and group). */
export const MAX_STATS_DAYS = 366;
const DAY_MS = 86_400_000;

const TIME_PARAM = { type: "string", format: "date-time" } as const;
const GROUP_BY_PATTERN = `^(${STATS_DIMENSIONS.join("|")})(,(${STATS_DIMENSIONS.join("|")}))*$`;

/** `from`/`to` as a range: defaults, order and length checked. */
export function statsRange(from?: string, to?: string): { from: string; to: string } {
  const end = to === undefined ? Date.now() : Date.parse(to);
  const start = from === undefined ? end - DEFAULT_STATS_DAYS * DAY_MS : Date.parse(from);
  if (!(start < end)) throw new InvalidPayloadError("from must be before to");
  if (end - start > MAX_STATS_DAYS * DAY_MS)
    throw new InvalidPayloadError(`a range of at most ${MAX_STATS_DAYS} days: narrow from/to`);
  return { from: new Date(start).toISOString(), to: new Date(end).toISOString() };
}

async function requireAccount(deps: Deps, accountId: string): Promise<void> {
  if (!(await deps.accounts.get(accountId))) throw new UnknownAccountError(accountId);
}

export function statsRoutes(app: FastifyInstance, deps: Deps): void {
  app.get<{
    Params: { accountId: string };
    Querystring: { from?: string; to?: string; groupBy?: string; channel?: Channel };
  }>(
    "/v1/accounts/:accountId/stats/optouts",
    {
      config: { access: { kind: "account-read", channelFrom: "query" } },
      schema: {
        operationId: "optoutStats",
        tags: ["Statistics"],
        summary: "Opt-outs per day, channel, source and campaign",
        description:
          "The account's opt-outs with `occurredAt` in [`from`, `to`) (default: the 30 days before now; at most 366 days), grouped by the comma-separated `groupBy` dimensions (default `day`; `day` is the UTC date, `campaign` the campaign of the opt-out link, null for other sources). `optOuts` counts opt-outs that changed the state (people), `requests` every opt-out request including repeated STOPs. Opt-outs carried by a list scope change are not counted. Without `channel`, every channel the token may read.",
        response: {
          200: json("The counts.", "OptoutStats"),
          400: errorResponse(
            "INVALID_PAYLOAD: a bad `groupBy`, `from` not before `to`, or a range over 366 days.",
          ),
          404: UNKNOWN_ACCOUNT,
        },
        params: { type: "object", properties: { accountId: ACCOUNT_ID_PARAM }, required: ["accountId"] },
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            from: TIME_PARAM,
            to: TIME_PARAM,
            groupBy: { type: "string", pattern: GROUP_BY_PATTERN },
            channel: CHANNEL_PARAM,
          },
        },
      },
    },
    async (request) => {
      const { accountId } = request.params;
      await requireAccount(deps, accountId);
      const range = statsRange(request.query.from, request.query.to);
      const requested = (request.query.groupBy ?? "day").split(",") as StatsDimension[];
      const groupBy = STATS_DIMENSIONS.filter((d) => requested.includes(d));
      const channels = channelsFor(request, request.query.channel);
      const items = await typed(() => optoutStats(deps.pool, { accountId, ...range, channels, groupBy }));
      const total = items.reduce(
        (sum, i) => ({ optOuts: sum.optOuts + i.optOuts, requests: sum.requests + i.requests }),
        { optOuts: 0, requests: 0 },
      );
      return { ...range, groupBy, channels, items, total };
    },
  );

  app.get<{ Params: { accountId: string; campaign: string }; Querystring: { channel?: Channel } }>(
    "/v1/accounts/:accountId/stats/campaigns/:campaign",
    {
      config: { access: { kind: "account-read", channelFrom: "query" } },
      schema: {
        operationId: "campaignStats",
        tags: ["Statistics"],
        summary: "A campaign's opt-out rate",
        description:
          'The opt-out links `optout.tag` issued for the campaign (`campaignId` of the tag request; one per recipient and channel) against the distinct links an opt-out came through: `rate` = `optOuts` / `linksIssued` (null before any link). Recipients tagged with a keyword instruction ("STOP au 36111") have no link and are not counted.',
        response: {
          200: json("The campaign's counts.", "CampaignStats"),
          404: UNKNOWN_ACCOUNT,
        },
        params: {
          type: "object",
          properties: {
            accountId: ACCOUNT_ID_PARAM,
            campaign: { type: "string", minLength: 1, maxLength: 128 },
          },
          required: ["accountId", "campaign"],
        },
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { channel: CHANNEL_PARAM },
        },
      },
    },
    async (request) => {
      const { accountId, campaign } = request.params;
      await requireAccount(deps, accountId);
      const channels = channelsFor(request, request.query.channel);
      return typed(() => campaignStats(deps.pool, accountId, campaign, channels));
    },
  );
}
