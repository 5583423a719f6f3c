export { API_WORKER } from "./definition.js";
export { startApi } from "./worker.js";
export type { ApiOptions } from "./worker.js";
export { buildApi } from "./app.js";
export type { ApiDeps } from "./app.js";
export { buildOpenApiDocument, operationKey, openApiPath } from "./openapi/document.js";
export { generateApiToken } from "./auth.js";
export type { Access, Principal, Permission } from "./auth.js";
export type { CatalogRoute } from "./route-catalog.js";
