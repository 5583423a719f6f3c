export { startApi, WORKER_NAME } from "./worker.js";
export type { ApiOptions } from "./worker.js";
export { buildApi } from "./app.js";
export type { ApiDeps } from "./app.js";
export { OPENAPI_VERSION } from "./openapi/swagger.js";
export { generateApiToken } from "./auth.js";
export type { Access, Principal, Permission } from "./auth.js";
export type { CatalogRoute } from "./route-catalog.js";
export { operationKey, openApiPath } from "./route-catalog.js";
