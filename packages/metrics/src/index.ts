export { counterIn, gaugeIn, histogramIn, LATENCY_BUCKETS } from "./registry.js";
export type { Counter, Gauge, Histogram, Registry } from "prom-client";
