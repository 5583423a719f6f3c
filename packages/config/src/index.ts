export { FIELDS, NATS_SECURITY_FIELDS } from "./fields.js";
export type { FieldName, FieldSpec, FieldType } from "./fields.js";
export { loadConfig } from "./load.js";
export type { ConfigOf } from "./load.js";
