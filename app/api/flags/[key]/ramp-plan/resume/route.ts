import { environmentQuerySchema, flagActionInputSchema } from "@/lib/flags/schemas";
import { resumeGuardedRamp } from "@/lib/guard/guarded-ramp";
import { toRampPlanView } from "@/lib/guard/ramp-plan-view";
import { apiRoute, envOfQuery, json } from "@/lib/http/api-route";
import { flagKeyParams } from "@/lib/http/route-params";

export const POST = apiRoute(
  { role: "operator", params: flagKeyParams, query: environmentQuerySchema, environment: envOfQuery, body: flagActionInputSchema },
  async ({ params: { key }, query: { env }, body: { reason }, ctx }) => {
    const { plan: row, flagVersion } = await resumeGuardedRamp({ ctx, input: { key, env, reason } });
    // The flag's version this move made, so the console can tell its own change from someone else's.
    return json({ key, environment: env, rampPlan: toRampPlanView(row), flagVersion });
  },
);
