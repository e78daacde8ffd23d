import { startDivergenceScan } from "@/lib/app-db/start-divergence-scan";
import { environmentQuerySchema } from "@/lib/flags/schemas";
import { apiRoute, envOfQuery, json } from "@/lib/http/api-route";
import { flagKeyParams } from "@/lib/http/route-params";

/** Starts the divergent-rows scan now (202); GET /api/flags/{key}/database shows its progress and result. */
export const POST = apiRoute(
  { role: "operator", params: flagKeyParams, query: environmentQuerySchema, environment: envOfQuery },
  async ({ params: { key }, query: { env }, ctx }) => {
    const scan = await startDivergenceScan({ ctx, key, env });
    return json({ status: scan.status, startedAt: scan.startedAt.toISOString(), startedBy: scan.startedBy }, { status: 202 });
  },
);
