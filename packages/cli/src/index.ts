export { runCli, PROGRAM } from "./cli.js";
export { EXIT, UsageError, parseTime } from "./command.js";
export type { Command, CommandGroup, CommandContext, ExitCode, Output } from "./command.js";
export { COMMAND_GROUPS } from "./commands/index.js";
