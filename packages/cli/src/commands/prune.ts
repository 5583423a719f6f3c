/**
 * `optout prune`: the retention run of webhook-dispatch (which does it every hour), on demand:
 * finished webhook jobs and old confirmation records, deleted in batches. See
 * packages/store/src/retention.ts for what goes, what stays and why.
 */
import { loadConfig } from "@optout/config";
import {
  DECISION_MIN_RETENTION_DAYS,
  DEFAULT_CONFIRMATION_WINDOW_HOURS,
  pruneExpired,
  RETENTION_BATCH_SIZE,
  type RetentionTable,
} from "@optout/store";
import { EXIT, positiveInteger, stringOption, type Command, type CommandGroup } from "../command.js";
import { json, table } from "../format.js";
import { createProgress, formatDuration } from "../progress.js";

const prune: Command = {
  name: "prune",
  summary: "delete finished webhook jobs and old confirmation records (retention)",
  help: `usage: optout prune [--webhook-jobs-days <n>] [--confirmations-days <n>] [--batch <n>] [--dry-run] [--json]

Deletes, in batches of ${RETENTION_BATCH_SIZE} rows (one short transaction each):
  - webhook jobs delivered, skipped or dead-lettered more than WEBHOOK_JOBS_RETENTION_DAYS ago;
  - confirmation-SMS records older than CONFIRMATIONS_RETENTION_DAYS and than the account's
    confirmation window (a record inside its window is what stops a second confirmation);
  - confirmation decisions older than that and than ${DECISION_MIN_RETENTION_DAYS} days (a redelivered STOP finds its decision).
Opt-out events and states are never deleted. webhook-dispatch runs this every hour; one run at
a time per database (a run while another holds the lock does nothing and says so).

Options:
  --webhook-jobs-days <n>     instead of WEBHOOK_JOBS_RETENTION_DAYS (default 30)
  --confirmations-days <n>    instead of CONFIRMATIONS_RETENTION_DAYS (default 30)
  --batch <n>                 rows per delete (default ${RETENTION_BATCH_SIZE})
  --dry-run                   count what would be deleted, delete nothing
  --json                      print {deleted: {webhook_jobs, sms_confirmations, sms_confirmation_decisions}, batches, dryRun, ran, ms}

Exit: 0 done, 1 another run holds the lock or Postgres failed.

Environment: DATABASE_URL, DATABASE_SCHEMA, WEBHOOK_JOBS_RETENTION_DAYS, CONFIRMATIONS_RETENTION_DAYS.
`,
  options: {
    "webhook-jobs-days": { type: "string" },
    "confirmations-days": { type: "string" },
    batch: { type: "string" },
    "dry-run": { type: "boolean" },
  },
  async run(args, context) {
    const config = loadConfig(["webhookJobsRetentionDays", "confirmationsRetentionDays"], context.env);
    const days = (name: string, fallback: number) => {
      const value = stringOption(args, name);
      return value === undefined ? fallback : positiveInteger(value, `--${name}`);
    };
    const policy = {
      webhookJobsDays: days("webhook-jobs-days", config.webhookJobsRetentionDays),
      confirmationsDays: days("confirmations-days", config.confirmationsRetentionDays),
      defaultWindowHours: DEFAULT_CONFIRMATION_WINDOW_HOURS,
    };
    const batchSize = positiveInteger(stringOption(args, "batch") ?? String(RETENTION_BATCH_SIZE), "--batch");
    const pool = await context.pool();
    const progress = createProgress(context.out, { label: "prune", unit: "rows" });
    let total = 0;
    const report = await pruneExpired(pool, policy, {
      batchSize,
      dryRun: args.values["dry-run"] === true,
      onBatch: (table: RetentionTable, n: number) => progress.update((total += n), undefined, table),
    });
    if (!report.ran) {
      context.out.stderr(
        "optout: prune: another retention run holds the lock (webhook-dispatch?): try later\n",
      );
      if (args.values.json) json(context.out, report);
      return EXIT.FAILURE;
    }
    progress.finish(
      `prune: ${report.dryRun ? "would delete" : "deleted"} ${Object.values(report.deleted).reduce((a, b) => a + b, 0)} rows in ${formatDuration(report.ms)} (webhook jobs > ${policy.webhookJobsDays} d, confirmations > ${policy.confirmationsDays} d)`,
    );
    if (args.values.json) json(context.out, report);
    else
      context.out.stdout(
        table([
          ["TABLE", report.dryRun ? "WOULD DELETE" : "DELETED"],
          ...Object.entries(report.deleted).map(([t, n]) => [t, String(n)]),
        ]),
      );
    return EXIT.OK;
  },
};

export const pruneCommands: CommandGroup = {
  name: "prune",
  summary: "retention: delete finished webhook jobs and old confirmation records",
  commands: [prune],
};
