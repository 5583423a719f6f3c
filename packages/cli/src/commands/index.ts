/**
 * Every command group of the CLI, in help order. A new group is one file in this folder
 * exporting a CommandGroup, listed here.
 */
import type { CommandGroup } from "../command.js";
import { accountsCommands } from "./accounts.js";
import { cacheCommands } from "./cache.js";
import { checkCommands } from "./check.js";
import { classifyCommands } from "./classify.js";
import { dlqCommands } from "./dlq.js";
import { eraseCommands } from "./erase.js";
import { evidenceCommands } from "./evidence.js";
import { exportCommands } from "./export.js";
import { importCommands } from "./import.js";
import { migrateCommands } from "./migrate.js";
import { pruneCommands } from "./prune.js";
import { tokensCommands } from "./tokens.js";

export const COMMAND_GROUPS: readonly CommandGroup[] = [
  checkCommands,
  classifyCommands,
  importCommands,
  exportCommands,
  evidenceCommands,
  accountsCommands,
  tokensCommands,
  cacheCommands,
  dlqCommands,
  pruneCommands,
  eraseCommands,
  migrateCommands,
];
