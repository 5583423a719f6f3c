export { createMetrics } from "./metrics.js";
export type { Metrics } from "./metrics.js";
export { onceStop, readinessOf, combineServices } from "./service.js";
export {
  createDependencyMonitor,
  DEPENDENCY_NAMES,
  DEFAULT_PROBE_INTERVAL_MS,
  DEFAULT_PROBE_TIMEOUT_MS,
} from "./dependencies.js";
export type { DependencyMonitor, DependencyName, DependencyState } from "./dependencies.js";
export type { ServiceHandle } from "./service.js";
export { startHealthServer } from "./health-server.js";
export type { HealthServer } from "./health-server.js";
export { stopOnSignals } from "./signals.js";
export { openInfrastructure, prepareInfrastructure } from "./infrastructure.js";
export {
  CONSUMER_FIELDS,
  consumerOptions,
  defineConsumer,
  defineHttpWorker,
  defineResponder,
  INFRASTRUCTURE_FIELDS,
  STANDALONE_FIELDS,
} from "./definition.js";
export type {
  ConsumerDefinition,
  ConsumerField,
  DeploymentHints,
  HttpDefinition,
  ResponderDefinition,
  StandaloneField,
  StreamKey,
  SubjectKey,
  WorkerDefinition,
} from "./definition.js";
export type { Infrastructure, InfrastructureConfig } from "./infrastructure.js";
export { runStandalone } from "./standalone.js";
export { fastifyOptions } from "./http.js";
export {
  allowedMethods,
  clientErrorProblem,
  httpProblem,
  JSON_PROBLEMS,
  logServerProblem,
  problemBody,
  problemOf,
  routeNotFoundProblem,
} from "./http-errors.js";
export type { HttpProblem, ProblemWriter, RoutePattern } from "./http-errors.js";
export { startConsumerWorker, RECORDING_DEPENDENCIES } from "./consumer-worker.js";
export type { ConsumerWorkerOptions, ConsumerWorkerSpec } from "./consumer-worker.js";
export { startResponderWorker } from "./responder-worker.js";
export type { ResponderWorkerSpec } from "./responder-worker.js";
export { startHttpWorker, instrumentHttp, UNMATCHED_ROUTE } from "./http-worker.js";
export { watchConsumerLag, DEFAULT_LAG_CACHE_MS, DEFAULT_LAG_TIMEOUT_MS } from "./consumer-lag.js";
export type { ConsumerLagOptions } from "./consumer-lag.js";
