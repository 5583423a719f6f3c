export { createPool, DEFAULT_CONNECTION_TIMEOUT_MS, DEFAULT_STATEMENT_TIMEOUT_MS } from "./pool.js";
export type { Pool, PoolClient, CreatePoolOptions } from "./pool.js";
export { ensureDatabase, redactUrl } from "./ensure-database.js";
export {
  migrate,
  loadMigrations,
  MIGRATIONS_DIR,
  requiredSchemaVersion,
  appliedSchemaVersion,
} from "./migrate.js";
export type { Migration } from "./migrate.js";
export { upsertOrganization, getOrganization, getAccount, requireAccount } from "./accounts.js";
export { upsertAccount, updateAccount, SCOPE_CHANGE_PAGE_SIZE } from "./account-update.js";
export type { AccountUpdate, ScopeCarry } from "./account-update.js";
export type { Account, AccountInput, AccountSettings, ListScope, Organization } from "./accounts.js";
export { recordEvents, getRecordedEvent, ACCOUNT_SCOPE_LOCK_CLASS } from "./events.js";
export type { NewEvent, RecordedEvent } from "./events.js";
export { ensureLinks, getLinks, getLink, MAX_LINK_ATTEMPTS } from "./links.js";
export type { Link, LinkTarget } from "./links.js";
export {
  findOptedOut,
  findOptedOutForCheck,
  findTopicOptedOutForCheck,
  getTopicStates,
  getState,
  getHistory,
  streamOptedOut,
  FIND_OPTED_OUT_SQL,
  FIND_OPTED_OUT_WITH_ERASED_SQL,
  type OptedOutForCheck,
} from "./state.js";
export type { OptState, OptStatus, HistoryEntry } from "./state.js";
export { classifyStoreError, toStoreError, typed } from "./errors.js";
export type { StoreFailure } from "./errors.js";
export { AccountDirectory, DEFAULT_ACCOUNT_CACHE_TTL_MS } from "./account-directory.js";
export { withDefaultUser } from "./connection-url.js";
export {
  insertApiToken,
  listApiTokens,
  revokeApiToken,
  findActiveApiToken,
  touchApiToken,
  generateApiToken,
  hashApiToken,
  publicTokenView,
  API_TOKEN_PATTERN,
  TOKEN_PERMISSIONS,
  TOKEN_ID_LENGTH,
  TOKEN_SECRET_LENGTH,
} from "./api-tokens.js";
export type { ApiTokenInfo, ActiveApiToken, TokenPermission } from "./api-tokens.js";
export {
  readListChanges,
  streamListChanges,
  listRecentEvents,
  LIST_LOCK_TIMEOUT_MS,
} from "./list-changes.js";
export type { ListChange, ListChangeQuery, RecentEvent } from "./list-changes.js";
export {
  insertWebhookJobs,
  getWebhookJob,
  hasPendingPredecessor,
  startWebhookAttempt,
  finishWebhookAttempt,
  listWebhookDeliveries,
  getWebhookDelivery,
  reopenWebhookJob,
  abandonRedelivery,
  WEBHOOK_ORDER_WAIT_MAX_HOURS,
} from "./webhook-jobs.js";
export type {
  WebhookJob,
  WebhookJobStatus,
  WebhookAttemptResult,
  WebhookDelivery,
  WebhookDeliveryQuery,
} from "./webhook-jobs.js";
export { decideConfirmations, DEFAULT_CONFIRMATION_WINDOW_HOURS } from "./confirmations.js";
export type { ConfirmationCandidate } from "./confirmations.js";
export {
  upsertGroup,
  getGroup,
  deleteGroup,
  ensureGroups,
  putContact,
  getContact,
  deleteContact,
  upsertContactBatch,
} from "./contacts.js";
export type { Group, Contact, ContactInput, ContactBatchRow } from "./contacts.js";
export { CONTACT_IDENTIFIER_COLUMN } from "./contact-columns.js";
export { listGroupContacts, streamGroupContactLines } from "./group-lists.js";
export type { GroupListQuery, GroupListItem, GroupListExclusion } from "./group-lists.js";
export { listHasErasures, findErasedSuppressed } from "./erased-members.js";
export {
  pruneExpired,
  RETENTION_BATCH_SIZE,
  RETENTION_TABLES,
  RETENTION_LOCK_CLASS,
  DECISION_MIN_RETENTION_DAYS,
} from "./retention.js";
export type { RetentionPolicy, RetentionTable, PruneReport, PruneOptions } from "./retention.js";
export { streamOptoutList, countOptouts, listLists, LIST_EXPORT_IDLE_TIMEOUT_MS } from "./list-export.js";
export type { ListedOptout } from "./list-export.js";
export { listAccounts } from "./account-list.js";
export type { AccountSummary } from "./account-list.js";
export { eraseIdentifier, isErased, publicErasureView, ERASURE_KEPT_EVIDENCE } from "./erasure.js";
export type { Erasure, ErasureRequest } from "./erasure.js";
export { optoutStats, campaignStats, STATS_DIMENSIONS } from "./stats.js";
export type { OptoutStatsQuery, OptoutStatsRow, StatsDimension, CampaignStats } from "./stats.js";
export { listOrganizations, listGroups, searchContacts, prefixPattern } from "./browse.js";
export type { BrowseQuery, ContactSearch } from "./browse.js";
export { insertAuditEntry, listAuditEntries } from "./audit-log.js";
export type { AuditActor, AuditEntry, AuditQuery, NewAuditEntry } from "./audit-log.js";
export { inTransaction } from "./transaction.js";
export {
  streamEvidence,
  getIdentifierEvidence,
  evidenceCsvLine,
  evidenceNdjsonLine,
  EVIDENCE_CSV_COLUMNS,
  EVIDENCE_CSV_HEADER,
  EVIDENCE_EXPORT_IDLE_TIMEOUT_MS,
} from "./evidence.js";
export type { EvidenceRecord, EvidenceQuery } from "./evidence.js";
