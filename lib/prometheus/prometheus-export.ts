import { and, eq, sql } from "drizzle-orm";
import { Counter, Gauge, Registry } from "prom-client";
import { environments, flagStates, flags, pathMetrics, rampPlans } from "@/db/schema";
import type { Db } from "@/lib/db/client";
import { readNotifyQueueUsage } from "@/lib/propagation/flag-changes";
import { getFlagStreamHub, NOTIFY_PROBE_TIMEOUT_MS } from "@/lib/sdk/flag-stream-hub";
import { getIngestQueue } from "@/lib/metrics/ingest-queue";
import { mergeSketches } from "@/lib/metrics/latency-sketch";

// GET /metrics in Prometheus text. Counts come from the database (hour rows, kept for good), so
// every instance answers the same totals and they agree with GET /api/flags/{key}/metrics; the
// control plane's own health is this instance's. Label names follow OpenTelemetry's feature-flag
// conventions with Prometheus' underscores: feature_flag.key → feature_flag_key.

const QUANTILES = [0.5, 0.95, 0.99] as const;
const MINUTE_MS = 60_000;

export const PROMETHEUS_CONTENT_TYPE = new Registry().contentType;

/** Every series, for all environments or, for a credential limited to one, for that one only. */
export async function renderPrometheusMetrics(db: Db, { environment = null as string | null, now = new Date() } = {}): Promise<string> {
  const registry = new Registry();
  const labels = ["feature_flag_key", "environment", "path"] as const;
  const requests = new Counter({ name: "feature_flag_requests_total", help: "Requests through gate(), per flag, environment and path (new or legacy).", labelNames: labels, registers: [registry] });
  const errors = new Counter({ name: "feature_flag_errors_total", help: "Requests whose path threw, per flag, environment and path.", labelNames: labels, registers: [registry] });
  const evaluations = new Counter({
    name: "feature_flag_evaluations_total",
    help: "Requests per evaluation result: variant (on = new path) and reason (rollout, targeted, pinned, unkeyed, killed, fallback).",
    labelNames: ["feature_flag_key", "environment", "feature_flag_result_variant", "feature_flag_result_reason"],
    registers: [registry],
  });
  const latency = new Gauge({
    name: "feature_flag_latency_seconds",
    help: "Path latency quantiles over the last complete minute, from the merged DDSketches (1% relative accuracy).",
    labelNames: [...labels, "quantile"],
    registers: [registry],
  });
  const percentage = new Gauge({ name: "feature_flag_percentage", help: "The rollout percentage.", labelNames: ["feature_flag_key", "environment"], registers: [registry] });
  const killed = new Gauge({ name: "feature_flag_killed", help: "1 while the kill switch is on.", labelNames: ["feature_flag_key", "environment"], registers: [registry] });
  const guard = new Gauge({ name: "rampart_guard_plan", help: "1 for a guarded ramp's current status.", labelNames: ["feature_flag_key", "environment", "status"], registers: [registry] });
  const guardStep = new Gauge({ name: "rampart_guard_step_percentage", help: "The percentage of a guarded ramp's current step.", labelNames: ["feature_flag_key", "environment"], registers: [registry] });

  const inScope = environment === null ? undefined : eq(environments.key, environment);
  const totals = await db
    .select({ key: flags.key, env: environments.key, path: pathMetrics.path, requests: sql<string>`sum(${pathMetrics.requests})`, errors: sql<string>`sum(${pathMetrics.errors})` })
    .from(pathMetrics)
    .innerJoin(flags, eq(flags.id, pathMetrics.flagId))
    .innerJoin(environments, eq(environments.id, pathMetrics.environmentId))
    .where(and(eq(pathMetrics.resolution, "hour"), inScope))
    .groupBy(flags.key, environments.key, pathMetrics.path);
  for (const row of totals) {
    requests.inc({ feature_flag_key: row.key, environment: row.env, path: row.path }, Number(row.requests));
    errors.inc({ feature_flag_key: row.key, environment: row.env, path: row.path }, Number(row.errors));
  }
  const reasons = await db.execute(sql`
    select f.key as key, e.key as env, m.path as path, r.key as reason, sum(r.value::bigint) as n
      from ${pathMetrics} m join ${flags} f on f.id = m.flag_id join ${environments} e on e.id = m.environment_id
      cross join lateral jsonb_each_text(m.reasons) r
     where m.resolution = 'hour' ${environment === null ? sql`` : sql`and e.key = ${environment}`}
     group by f.key, e.key, m.path, r.key`);
  for (const row of (reasons as unknown as { rows: { key: string; env: string; path: string; reason: string; n: string }[] }).rows) {
    evaluations.inc({ feature_flag_key: row.key, environment: row.env, feature_flag_result_variant: row.path === "new" ? "on" : "off", feature_flag_result_reason: row.reason }, Number(row.n));
  }

  const lastMinute = new Date(Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS - MINUTE_MS);
  const minuteRows = await db
    .select({ key: flags.key, env: environments.key, path: pathMetrics.path, sketch: pathMetrics.sketch })
    .from(pathMetrics)
    .innerJoin(flags, eq(flags.id, pathMetrics.flagId))
    .innerJoin(environments, eq(environments.id, pathMetrics.environmentId))
    .where(and(eq(pathMetrics.resolution, "minute"), eq(pathMetrics.bucketStart, lastMinute), inScope));
  const sketches = new Map<string, { key: string; env: string; path: string; encoded: (string | null)[] }>();
  for (const row of minuteRows) {
    const id = `${row.key}\u0000${row.env}\u0000${row.path}`;
    const entry = sketches.get(id) ?? { key: row.key, env: row.env, path: row.path, encoded: [] };
    entry.encoded.push(row.sketch);
    sketches.set(id, entry);
  }
  for (const { key, env, path, encoded } of sketches.values()) {
    const merged = mergeSketches(encoded);
    if (!merged || merged.count === 0) continue;
    for (const q of QUANTILES) latency.set({ feature_flag_key: key, environment: env, path, quantile: String(q) }, merged.getValueAtQuantile(q) / 1000);
  }

  const states = await db
    .select({ key: flags.key, env: environments.key, percentageBp: flagStates.percentageBp, killed: flagStates.killed })
    .from(flagStates)
    .innerJoin(flags, eq(flags.id, flagStates.flagId))
    .innerJoin(environments, eq(environments.id, flagStates.environmentId))
    .where(and(sql`${flags.archivedAt} is null`, inScope));
  for (const state of states) {
    percentage.set({ feature_flag_key: state.key, environment: state.env }, state.percentageBp / 100);
    killed.set({ feature_flag_key: state.key, environment: state.env }, state.killed ? 1 : 0);
  }
  const plans = await db
    .select({ key: flags.key, env: environments.key, status: rampPlans.status, step: rampPlans.step, plan: rampPlans.plan })
    .from(rampPlans)
    .innerJoin(flags, eq(flags.id, rampPlans.flagId))
    .innerJoin(environments, eq(environments.id, rampPlans.environmentId))
    .where(inScope);
  for (const plan of plans) {
    guard.set({ feature_flag_key: plan.key, environment: plan.env, status: plan.status }, 1);
    guardStep.set({ feature_flag_key: plan.key, environment: plan.env }, plan.plan.steps[plan.step] ?? 0);
  }

  // This instance's own health: what only it knows.
  const hub = await getFlagStreamHub();
  new Gauge({ name: "rampart_sse_connections", help: "SDK streams open on this instance.", registers: [registry] }).set(hub.streamCount());
  const notifyLag = await hub.notifyLag();
  if (notifyLag !== null) {
    new Gauge({
      name: "rampart_notify_lag_seconds",
      help: `Seconds a probe NOTIFY on the flag-change channel took to reach this instance's listener, the way every flag change comes to its SDK streams; ${NOTIFY_PROBE_TIMEOUT_MS / 1000} means it did not come back within that. Present once this instance has served a stream.`,
      registers: [registry],
    }).set(notifyLag);
  }
  new Gauge({
    name: "rampart_notify_queue_usage",
    help: "Share of the database's NOTIFY queue in use (0 to 1). A listener that stops reading fills it; when full, flag changes cannot commit.",
    registers: [registry],
  }).set(await readNotifyQueueUsage(db));
  const ingest = (await getIngestQueue()).status();
  new Counter({ name: "rampart_metrics_batches_ingested_total", help: "SDK metrics batches this instance stored since it started.", registers: [registry] }).inc(ingest.accepted);
  new Counter({ name: "rampart_metrics_batches_shed_total", help: "SDK metrics batches this instance refused with 429 (ingest behind) since it started.", registers: [registry] }).inc(ingest.shed);
  new Gauge({ name: "rampart_metrics_batches_queued", help: "SDK metrics batches waiting for this instance's next write.", registers: [registry] }).set(ingest.queued + ingest.writing);
  return registry.metrics();
}
