/**
 * The address-book scenarios call bench/address-book.ts (written with the address book) when
 * it is there:
 *
 *   benchImport({ rows, threads, databaseUrl })                              -> { rowsPerSecond, ... }
 *   prepareGroupFixture({ contacts, optedOutRatio, databaseUrl })  (optional) -> fixture with drop()
 *   benchRawGroupScan({ contacts, databaseUrl, fixture? })                   -> { fetchContactsPerSecond, ... }
 *   benchFilteredExport({ contacts, optedOutRatio, databaseUrl, fixture? })  -> { httpContactsPerSecond, ... }
 *
 * Every finite number they return is recorded. Without the file both scenarios are skipped.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { SkipScenario, type BenchContext, type Scenario } from "../lib/context.js";
import type { ScenarioRecorder } from "../lib/report.js";

type Figures = Record<string, unknown>;
interface Fixture {
  drop(): Promise<void>;
}
interface AddressBookBench {
  benchImport?: (options: { rows: number; threads: number; databaseUrl: string }) => Promise<Figures>;
  prepareGroupFixture?: (options: {
    contacts: number;
    optedOutRatio: number;
    databaseUrl: string;
  }) => Promise<Fixture>;
  benchFilteredExport?: (options: {
    contacts: number;
    optedOutRatio: number;
    databaseUrl: string;
    fixture?: Fixture;
  }) => Promise<Figures>;
  benchRawGroupScan?: (options: {
    contacts: number;
    databaseUrl: string;
    fixture?: Fixture;
  }) => Promise<Figures>;
}

const MODULE = new URL("../address-book.ts", import.meta.url);
const OPTED_OUT_RATIO = 0.01;

async function load(): Promise<AddressBookBench> {
  if (!existsSync(fileURLToPath(MODULE))) throw new SkipScenario("bench/address-book.ts does not exist yet");
  return (await import(MODULE.href)) as AddressBookBench;
}

function unitOf(name: string): string {
  if (/PerSecond$/.test(name)) return name.startsWith("rows") ? "rows/s" : "/s";
  if (/[sS]econds$/.test(name)) return "s";
  if (/MiB$/.test(name)) return "MiB";
  return "";
}

/** Records every finite number a hook returned under `prefix_<name>`; `rateKeys` must include one. */
function record(
  rec: ScenarioRecorder,
  prefix: string,
  label: string,
  figures: Figures,
  rateKeys: readonly string[],
  baseline: boolean,
): string {
  for (const [name, value] of Object.entries(figures)) {
    if (typeof value !== "number" || !Number.isFinite(value)) continue;
    // Rates (and the memory check) in the table; counts and seconds in the JSON only.
    const detail = !/PerSecond$|MiB$/.test(name);
    rec.figure(`${prefix}_${name}`, `${label}: ${name}`, value, unitOf(name), {
      ...(baseline ? { baseline: true } : {}),
      ...(detail ? { detail: true } : {}),
    });
  }
  const key = rateKeys.find((k) => typeof figures[k] === "number");
  if (!key) throw new Error(`${label}: the hook returned none of ${rateKeys.join(", ")}`);
  return `${prefix}_${key}`;
}

export const filteredExport: Scenario = {
  name: "export",
  title: "filtered export",
  async run(ctx: BenchContext, rec: ScenarioRecorder) {
    const mod = await load();
    if (!mod.benchFilteredExport || !mod.benchRawGroupScan)
      throw new SkipScenario("bench/address-book.ts exports no benchFilteredExport/benchRawGroupScan");
    const { databaseUrl, exportContacts: contacts } = ctx.options;
    const fixture = await mod.prepareGroupFixture?.({
      contacts,
      optedOutRatio: OPTED_OUT_RATIO,
      databaseUrl,
    });
    try {
      const shared = fixture ? { fixture } : {};
      const raw = record(
        rec,
        "raw_scan",
        "raw Postgres scan of the group",
        await mod.benchRawGroupScan({ contacts, databaseUrl, ...shared }),
        ["fetchContactsPerSecond", "rowsPerSecond"],
        true,
      );
      ctx.progress(`filtered export: raw group scan ${Math.round(rec.value(raw))} contacts/s`);
      const figures = await mod.benchFilteredExport({
        contacts,
        optedOutRatio: OPTED_OUT_RATIO,
        databaseUrl,
        ...shared,
      });
      const http = record(
        rec,
        "export",
        "filtered export",
        figures,
        ["httpContactsPerSecond", "rowsPerSecond"],
        false,
      );
      ctx.progress(`filtered export: ${Math.round(rec.value(http))} contacts/s`);
      rec.ratio("export_vs_raw", "filtered export (HTTP NDJSON) / raw group scan", http, raw);
      if (typeof figures.storeContactsPerSecond === "number")
        rec.ratio(
          "store_vs_raw",
          "filtered export (store cursor) / raw group scan",
          "export_storeContactsPerSecond",
          raw,
        );
    } finally {
      await fixture?.drop();
    }
    rec.note(
      `group of ${contacts} contacts, ${OPTED_OUT_RATIO * 100}% opted out (from bench/address-book.ts)`,
    );
  },
};

export const importContacts: Scenario = {
  name: "import",
  title: "import",
  async run(ctx: BenchContext, rec: ScenarioRecorder) {
    const mod = await load();
    if (!mod.benchImport) throw new SkipScenario("bench/address-book.ts exports no benchImport");
    const { importRows: rows, importThreads: threads, databaseUrl } = ctx.options;
    const one = record(
      rec,
      "import_1",
      "import, 1 thread",
      await mod.benchImport({ rows, threads: 1, databaseUrl }),
      ["rowsPerSecond"],
      true,
    );
    ctx.progress(`import: 1 thread ${Math.round(rec.value(one))} rows/s`);
    const many = record(
      rec,
      `import_${threads}`,
      `import, ${threads} threads`,
      await mod.benchImport({ rows, threads, databaseUrl }),
      ["rowsPerSecond"],
      false,
    );
    ctx.progress(`import: ${threads} threads ${Math.round(rec.value(many))} rows/s`);
    rec.ratio("import_threads_vs_1", `${threads} threads / 1 thread`, many, one);
    rec.note(`${rows} CSV rows (from bench/address-book.ts)`);
  },
};
