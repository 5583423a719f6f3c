/**
 * @optout/address-book: bulk imports of contacts and of existing suppression lists, shared by
 * the API and the CLI (streaming parsers, a piscina pool for normalization, batched writes).
 * The tables and queries live in @optout/store.
 */
export {
  importContacts,
  importOptouts,
  CONTACT_COLUMNS,
  OPTOUT_COLUMNS,
  OPTOUT_RECORD_CHUNK,
} from "./import.js";
export type { ImportOptions, ContactImportSummary, OptoutImportSummary } from "./import.js";
export {
  createNormalizer,
  resolveImportThreads,
  workerFilename,
  DEFAULT_IDLE_TIMEOUT_MS,
} from "./normalizer.js";
export type { Normalizer } from "./normalizer.js";
export {
  DEFAULT_BATCH_SIZE,
  DEFAULT_MAX_ERRORS,
  DEFAULT_PROGRESS_EVERY_ROWS,
  ImportInterruptedError,
  isRowDataError,
  writeIsolating,
} from "./pipeline.js";
export type { ImportProgress, ImportStopReport } from "./pipeline.js";
export { readRows, decodeText, ImportTooLargeError } from "./readers.js";
export type { ImportFormat, ImportInput, Columns } from "./readers.js";
export { CsvParser, CsvSyntaxError, LineSplitter } from "./csv.js";
export type { CsvRecord } from "./csv.js";
export {
  normalizeContactRow,
  normalizeContactRows,
  normalizeOptoutRow,
  normalizeOptoutRows,
  parseImportDate,
  importDateProblem,
  importSourceId,
  isRowError,
  contactFieldsProblem,
  ID_PATTERN,
  CONTACT_IDENTIFIER_KEY,
  MAX_CONTACT_FIELDS,
  MAX_CONTACT_FIELDS_BYTES,
} from "./rows.js";
export type { RowError, RawContactRow, RawOptoutRow, NormalizedOptout } from "./rows.js";
