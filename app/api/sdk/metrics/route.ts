import { apiRoute, json } from "@/lib/http/api-route";
import { readJsonBody } from "@/lib/http/request-body";
import { ingestMetrics } from "@/lib/metrics/ingest-metrics";
import { MAX_METRICS_BODY_BYTES, metricsBatchSchema } from "@/lib/metrics/schemas";
import { requireSdkEnvironment } from "@/lib/sdk/sdk-environment";

export const POST = apiRoute({ role: "sdk" }, async ({ request, ctx }) => {
  const batch = await readJsonBody(request, metricsBatchSchema, MAX_METRICS_BODY_BYTES);
  const result = await ingestMetrics(ctx.db, await requireSdkEnvironment(ctx), batch);
  return json(result, { status: result.stored ? 201 : 200 });
});
