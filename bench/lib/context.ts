import type { BenchOptions, ScenarioName } from "./options.js";
import type { ScenarioRecorder } from "./report.js";

export interface BenchContext {
  readonly options: BenchOptions;
  /** One progress line on stderr, prefixed with the time since the run started. */
  progress(message: string): void;
}

export interface Scenario {
  readonly name: ScenarioName;
  readonly title: string;
  /** Measure, recording figures/ratios/checks on `rec`; throw to fail the scenario. */
  run(ctx: BenchContext, rec: ScenarioRecorder): Promise<void>;
}

/** Thrown by a scenario that cannot run here (e.g. the code it measures is not there yet). */
export class SkipScenario extends Error {}
