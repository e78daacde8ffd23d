import { apiRoute, json } from "@/lib/http/api-route";
import { admitMetricsBatch, ingestMetrics } from "@/lib/metrics/ingest-metrics";
import { MAX_METRICS_BODY_BYTES, metricsBatchSchema } from "@/lib/metrics/schemas";
import { requireSdkEnvironment } from "@/lib/sdk/sdk-environment";

export const POST = apiRoute(
  { role: "sdk", admit: admitMetricsBatch, body: metricsBatchSchema, bodyLimitBytes: MAX_METRICS_BODY_BYTES },
  async ({ body, ctx }) => {
    const result = await ingestMetrics(await requireSdkEnvironment(ctx), body);
    return json(result, { status: result.stored ? 201 : 200 });
  },
);
