import type { FastifyInstance } from "fastify";
import { NotFoundError } from "@optout/core";
import { getOrganization, typed, upsertOrganization, type Pool } from "@optout/store";
import { ORG_ID_PARAM } from "./schemas.js";
import { errorResponse, json } from "../openapi/responses.js";

export function organizationRoutes(app: FastifyInstance, deps: { pool: Pool }): void {
  app.put<{ Params: { orgId: string }; Body: { name?: string } }>(
    "/v1/organizations/:orgId",
    {
      config: { access: { kind: "admin" } },
      schema: {
        operationId: "putOrganization",
        tags: ["Organizations and accounts"],
        summary: "Create or update an organization",
        response: { 200: json("Updated.", "Organization"), 201: json("Created.", "Organization") },

        params: { type: "object", properties: { orgId: ORG_ID_PARAM }, required: ["orgId"] },
        body: {
          type: "object",
          additionalProperties: false,
          properties: { name: { type: "string", maxLength: 200 } },
        },
      },
    },
    async (request, reply) => {
      const { organization, created } = await typed(() =>
        upsertOrganization(deps.pool, { id: request.params.orgId, name: request.body?.name ?? null }),
      );
      return reply.status(created ? 201 : 200).send(organization);
    },
  );

  app.get<{ Params: { orgId: string } }>(
    "/v1/organizations/:orgId",
    {
      config: { access: { kind: "admin" } },
      schema: {
        operationId: "getOrganization",
        tags: ["Organizations and accounts"],
        summary: "Read an organization",
        response: { 200: json("The organization.", "Organization"), 404: errorResponse("NOT_FOUND.") },
        params: { type: "object", properties: { orgId: ORG_ID_PARAM }, required: ["orgId"] },
      },
    },
    async (request) => {
      const org = await typed(() => getOrganization(deps.pool, request.params.orgId));
      if (!org) throw new NotFoundError(`organization "${request.params.orgId}" does not exist`);
      return org;
    },
  );
}
