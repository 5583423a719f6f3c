/**
 * Every command group of the CLI, in help order. A new group (check, import, export, cache,
 * migrate, tokens, accounts) is one file in this folder exporting a CommandGroup, listed here.
 */
import type { CommandGroup } from "../command.js";
import { dlqCommands } from "./dlq.js";
import { migrateCommands } from "./migrate.js";

export const COMMAND_GROUPS: readonly CommandGroup[] = [dlqCommands, migrateCommands];
