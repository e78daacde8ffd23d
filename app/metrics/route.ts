import { apiRoute } from "@/lib/http/api-route";
import { PROMETHEUS_CONTENT_TYPE, renderPrometheusMetrics } from "@/lib/prometheus/prometheus-export";

/**
 * Prometheus text, for an SDK key or an API token (a credential limited to one environment sees
 * that environment's series); RAMPART_METRICS_PUBLIC=1 opens it to anyone.
 */
export const GET = apiRoute({ role: "any", openWhen: () => process.env.RAMPART_METRICS_PUBLIC === "1" }, async ({ ctx }) => {
  const body = await renderPrometheusMetrics(ctx.db, { environment: ctx.actor.environment });
  return new Response(body, { headers: { "content-type": PROMETHEUS_CONTENT_TYPE, "cache-control": "no-store" } });
});
