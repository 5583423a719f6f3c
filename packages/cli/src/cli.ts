/**
 * The runner: `optout <group> <command> [options]`. Finds the command, parses its options
 * (node:util parseArgs, strict), runs it, maps errors to exit codes, closes connections.
 */
import { parseArgs } from "node:util";
import { ConfigError, InvalidPayloadError, OptoutError } from "@optout/core";
import {
  COMMON_OPTIONS,
  EXIT,
  UsageError,
  type Command,
  type CommandGroup,
  type ExitCode,
  type Output,
} from "./command.js";
import { lazyConnections } from "./connections.js";
import { lazyStores } from "./stores.js";
import { COMMAND_GROUPS } from "./commands/index.js";

export const PROGRAM = "optout";

const EXIT_CODES_HELP = `Exit codes:
  0  ok
  1  failure (NATS, Postgres or Redis unreachable, dead-letter stream missing, a publish failed)
  2  usage error (bad arguments or environment variables)
  3  nothing matched (empty list, unknown sequence or account, nothing to replay)
  4  partial: done, but some input was refused (an import's rows in error, listed)`;

function programHelp(groups: readonly CommandGroup[]): string {
  const width = Math.max(...groups.map((g) => g.name.length));
  return `usage: ${PROGRAM} <command> <subcommand> [options]   (--help on any of them)

Commands:
${groups.map((g) => `  ${g.name.padEnd(width)}  ${g.summary}`).join("\n")}

Environment: NATS_URL (default nats://127.0.0.1:4222), OPTOUT_NAMESPACE (default optout),
DATABASE_URL, DATABASE_SCHEMA, REDIS_URL and BLOOM_* (the workers' values), as each command says.

${EXIT_CODES_HELP}
`;
}

function groupHelp(group: CommandGroup): string {
  const width = Math.max(...group.commands.map((c) => c.name.length));
  return `usage: ${PROGRAM} ${group.name} <subcommand> [options]

${group.summary}

Subcommands:
${group.commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join("\n")}

Run "${PROGRAM} ${group.name} <subcommand> --help" for its options.
`;
}

function usageFailure(out: Output, message: string, hint: string): ExitCode {
  out.stderr(`${PROGRAM}: ${message}\n${hint}`);
  return EXIT.USAGE;
}

async function runCommand(
  group: CommandGroup,
  command: Command,
  argv: string[],
  out: Output,
  env: NodeJS.ProcessEnv,
): Promise<ExitCode> {
  const invocation = command.name === group.name ? group.name : `${group.name} ${command.name}`;
  const hint = `run "${PROGRAM} ${invocation} --help" for usage\n`;
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...COMMON_OPTIONS, ...command.options },
      allowPositionals: command.positionals ?? false,
      strict: true,
    });
  } catch (err) {
    return usageFailure(out, (err as Error).message, hint);
  }
  if (parsed.values.help) {
    out.stdout(command.help);
    return EXIT.OK;
  }
  const connections = lazyConnections(env);
  const stores = lazyStores(env);
  try {
    return await command.run(
      {
        values: parsed.values as Record<string, string | boolean | undefined>,
        positionals: parsed.positionals,
      },
      {
        out,
        env,
        bus: connections.bus,
        nats: () => connections.nats(),
        pool: stores.pool,
        filter: stores.filter,
      },
    );
  } catch (err) {
    if (err instanceof UsageError || err instanceof InvalidPayloadError)
      return usageFailure(out, err.message, hint);
    if (err instanceof ConfigError)
      return usageFailure(out, err.message, "set the environment variables named above\n");
    const message =
      err instanceof OptoutError ? err.message : `unexpected error: ${(err as Error).stack ?? String(err)}`;
    out.stderr(`${PROGRAM}: ${message}\n`);
    return EXIT.FAILURE;
  } finally {
    await connections.close();
    await stores.close();
  }
}

/** Run one command line (without the program name) and return its exit code. */
export async function runCli(
  argv: readonly string[],
  out: Output,
  env: NodeJS.ProcessEnv = process.env,
  groups: readonly CommandGroup[] = COMMAND_GROUPS,
): Promise<ExitCode> {
  const [groupName, commandName, ...rest] = argv;
  if (groupName === undefined) return usageFailure(out, "no command given", programHelp(groups));
  if (groupName === "--help" || groupName === "-h" || groupName === "help") {
    out.stdout(programHelp(groups));
    return EXIT.OK;
  }
  const group = groups.find((g) => g.name === groupName);
  if (!group) return usageFailure(out, `unknown command "${groupName}"`, programHelp(groups));
  // A group of one command named like the group is a command of its own: `optout migrate`.
  const only =
    group.commands.length === 1 && group.commands[0]!.name === group.name ? group.commands[0]! : undefined;
  if (only)
    return runCommand(group, only, commandName === undefined ? rest : [commandName, ...rest], out, env);
  if (commandName === undefined)
    return usageFailure(out, `"${group.name}" needs a subcommand`, groupHelp(group));
  if (commandName === "--help" || commandName === "-h" || commandName === "help") {
    out.stdout(groupHelp(group));
    return EXIT.OK;
  }
  const command = group.commands.find((c) => c.name === commandName);
  if (!command)
    return usageFailure(out, `unknown subcommand "${group.name} ${commandName}"`, groupHelp(group));
  return runCommand(group, command, rest, out, env);
}
