/**
 * deploy/observability: the Grafana dashboard and the PrometheusRule parse, and every metric an
 * expression names (and every label it matches or groups by) is declared in the code's registry,
 * so a renamed metric breaks this test instead of a dashboard nobody looks at until an outage.
 */
import t, { type Test } from "tap";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { REPO_ROOT } from "@optout/testkit";
import { createMetrics } from "@optout/runtime";
import { recorderMetrics } from "@optout/recorder";
import { emailUnsubscribeMetrics } from "@optout/service-email-unsubscribe";
import { smsInboundMetrics } from "@optout/service-sms-inbound";
import { suppressionCheckMetrics } from "@optout/service-suppression-check";
import { webhookDispatchMetrics } from "@optout/service-webhook-dispatch";

const DIR = join(REPO_ROOT, "deploy/observability");
/** Labels the scrape adds (ServiceMonitor target labels), and the histogram bucket label. */
const TARGET_LABELS = ["namespace", "pod", "job", "instance", "service", "container", "endpoint"];
/** The metric families the project's expressions may use: ours, the HTTP ones, Node's defaults. */
const METRIC_NAME = /\b(?:optout|http|process|nodejs)_[a-zA-Z0-9_:]*/g;

/** Every declared series name, with its label names (histograms expanded to _bucket/_sum/_count). */
function declaredSeries(): Map<string, Set<string>> {
  const metrics = createMetrics();
  recorderMetrics(metrics.registry);
  emailUnsubscribeMetrics(metrics.registry);
  smsInboundMetrics(metrics.registry);
  suppressionCheckMetrics(metrics.registry);
  webhookDispatchMetrics(metrics.registry);
  const series = new Map<string, Set<string>>();
  for (const m of metrics.registry.getMetricsAsArray()) {
    const { name, labelNames = [] } = m as unknown as { name: string; labelNames?: string[] };
    const labels = new Set([...labelNames, ...TARGET_LABELS]);
    const type = (m as unknown as { type?: string }).type;
    if (type === "histogram") {
      series.set(`${name}_bucket`, new Set([...labels, "le"]));
      series.set(`${name}_sum`, labels);
      series.set(`${name}_count`, labels);
    } else {
      series.set(name, labels);
    }
  }
  return series;
}

/** Metric names used in a PromQL expression, with the label names matched in their selectors. */
function usedSeries(expr: string): { name: string; matched: string[] }[] {
  const used: { name: string; matched: string[] }[] = [];
  const code = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  for (const m of code.matchAll(METRIC_NAME)) {
    const after = code.slice((m.index ?? 0) + m[0].length);
    const selector = /^\s*\{([^}]*)\}/.exec(after)?.[1] ?? "";
    const matched = [...selector.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)/g)].map((x) => x[1]!);
    used.push({ name: m[0], matched });
  }
  return used;
}

/** Label names of `by (...)` and `without (...)` clauses. */
function groupingLabels(expr: string): string[] {
  return [...expr.matchAll(/\b(?:by|without)\s*\(([^)]*)\)/g)].flatMap((m) =>
    m[1]!
      .split(",")
      .map((l) => l.trim())
      .filter(Boolean),
  );
}

interface Panel {
  title?: string;
  type?: string;
  targets?: { expr?: string }[];
  panels?: Panel[];
}

function* panelExprs(panels: Panel[]): Generator<{ where: string; expr: string }> {
  for (const p of panels) {
    for (const target of p.targets ?? [])
      if (target.expr) yield { where: `panel "${p.title}"`, expr: target.expr };
    yield* panelExprs(p.panels ?? []);
  }
}

function checkExpr(t: Test, series: Map<string, Set<string>>, where: string, expr: string): void {
  const used = usedSeries(expr);
  t.ok(used.length > 0, `${where}: uses at least one metric`);
  const labelsHere = new Set<string>(["le", ...TARGET_LABELS]);
  for (const { name, matched } of used) {
    const labels = series.get(name);
    t.ok(labels, `${where}: ${name} is declared in the code`);
    if (!labels) continue;
    for (const l of labels) labelsHere.add(l);
    for (const l of matched) t.ok(labels.has(l), `${where}: ${name} has the label "${l}"`);
  }
  for (const l of groupingLabels(expr))
    t.ok(labelsHere.has(l), `${where}: groups by "${l}", a label of its metrics`);
}

const series = declaredSeries();

t.test("the Grafana dashboard parses and every query names declared metrics and labels", async (t) => {
  const dashboard = JSON.parse(await readFile(join(DIR, "optout-dashboard.json"), "utf8")) as {
    uid: string;
    panels: Panel[];
    templating: { list: { name: string; query?: unknown; definition?: string }[] };
  };
  t.equal(dashboard.uid, "optout-overview");
  const exprs = [...panelExprs(dashboard.panels)];
  t.ok(exprs.length >= 20, `${exprs.length} queries`);
  for (const { where, expr } of exprs) checkExpr(t, series, where, expr);
  for (const v of dashboard.templating.list) {
    if (v.definition) checkExpr(t, series, `variable ${v.name}`, v.definition);
  }

  // What the dashboard is for: each of these is on it.
  const all = exprs.map((e) => e.expr).join("\n");
  for (const name of [
    "optout_messages_total",
    "optout_events_total",
    "optout_consumer_pending_messages",
    "optout_dead_letter_messages",
    "optout_request_seconds_bucket",
    "optout_checked_recipients_total",
    "optout_cache_fallbacks_total",
    "optout_dependency_up",
    "optout_consumer_paused",
    "http_requests_total",
    "http_request_duration_seconds_bucket",
    "optout_webhook_attempts_total",
  ])
    t.ok(all.includes(name), `the dashboard shows ${name}`);
});

t.test(
  "the PrometheusRule parses, has the alerts, and every expression names declared metrics",
  async (t) => {
    const rule = parseYaml(await readFile(join(DIR, "optout-alerts.yaml"), "utf8")) as {
      apiVersion: string;
      kind: string;
      spec: {
        groups: {
          name: string;
          rules: { alert: string; expr: string; for?: string; labels?: Record<string, string> }[];
        }[];
      };
    };
    t.equal(rule.apiVersion, "monitoring.coreos.com/v1");
    t.equal(rule.kind, "PrometheusRule");
    const rules = rule.spec.groups.flatMap((g) => g.rules);
    for (const r of rules) {
      checkExpr(t, series, `alert ${r.alert}`, r.expr);
      t.ok(r.labels?.severity, `${r.alert} has a severity`);
    }
    const byName = new Map(rules.map((r) => [r.alert, r]));
    t.match(byName.get("OptoutDependencyDown"), { expr: /optout_dependency_up == 0/, for: "1m" });
    t.match(byName.get("OptoutConsumerPaused"), { expr: /optout_consumer_paused/, for: "5m" });
    t.match(byName.get("OptoutDeadLettersGrowing"), { expr: /optout_dead_letter_messages/ });
    t.match(byName.get("OptoutConsumerLagGrowing"), { expr: /optout_consumer_pending_messages/ });
    t.match(byName.get("OptoutWebhookFailures"), { expr: /optout_webhook_attempts_total/ });
    t.match(byName.get("OptoutCheckLatencyHigh"), { expr: /optout_request_seconds_bucket[\s\S]*> 0\.05/ });
  },
);

t.test("the checker catches what it is for", async (t) => {
  t.same(usedSeries('sum by (x) (rate(optout_nope_total{a="b",c=~"d"}[5m]))'), [
    { name: "optout_nope_total", matched: ["a", "c"] },
  ]);
  t.notOk(series.has("optout_nope_total"));
  t.same(groupingLabels("sum by (worker, le) (x) / sum without (pod) (y)"), ["worker", "le", "pod"]);
  t.ok(series.get("optout_messages_total")?.has("outcome"));
  t.notOk(series.has("optout_process_cpu_seconds_total"), "default metrics keep their standard names");
  t.ok(series.has("process_cpu_seconds_total"));
});
