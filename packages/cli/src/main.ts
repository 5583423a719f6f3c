#!/usr/bin/env node
/**
 * The `optout` executable. In the repository: `npm run optout -- dlq list`.
 */
import { runCli } from "./cli.js";

const code = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stderrIsTTY: process.stderr.isTTY === true,
  stdoutStream: process.stdout,
});
// Let stdout drain (a large --json answer into a pipe) before leaving.
process.exitCode = code;
