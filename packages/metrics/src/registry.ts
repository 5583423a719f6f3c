import {
  Counter,
  Gauge,
  Histogram,
  type CounterConfiguration,
  type GaugeConfiguration,
  type HistogramConfiguration,
  type Registry,
} from "prom-client";

type Config<C> = Omit<C, "registers">;

/**
 * The metric of this name in `registry`, created on first use. Several workers of one process
 * (the local runner, the tests) share a registry: the second one gets the first one's metric
 * instead of prom-client's "already registered" error.
 */
export function counterIn<T extends string>(
  registry: Registry,
  config: Config<CounterConfiguration<T>>,
): Counter<T> {
  return (
    (registry.getSingleMetric(config.name) as Counter<T> | undefined) ??
    new Counter({ ...config, registers: [registry] })
  );
}

export function gaugeIn<T extends string>(
  registry: Registry,
  config: Config<GaugeConfiguration<T>>,
): Gauge<T> {
  return (
    (registry.getSingleMetric(config.name) as Gauge<T> | undefined) ??
    new Gauge({ ...config, registers: [registry] })
  );
}

export function histogramIn<T extends string>(
  registry: Registry,
  config: Config<HistogramConfiguration<T>>,
): Histogram<T> {
  return (
    (registry.getSingleMetric(config.name) as Histogram<T> | undefined) ??
    new Histogram({ ...config, registers: [registry] })
  );
}

/** Fast request-reply and HTTP latencies, in seconds: 0.2 ms to 1 s. */
export const LATENCY_BUCKETS = [0.0002, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1];
