import { environmentQuerySchema } from "@/lib/flags/schemas";
import { startGuardedRamp } from "@/lib/guard/guarded-ramp";
import { startRampSchema } from "@/lib/guard/ramp-plan";
import { toRampPlanView } from "@/lib/guard/ramp-plan-view";
import { apiRoute, envOfQuery, json } from "@/lib/http/api-route";
import { flagKeyParams } from "@/lib/http/route-params";

export const POST = apiRoute(
  { role: "operator", params: flagKeyParams, query: environmentQuerySchema, environment: envOfQuery, body: startRampSchema },
  async ({ params: { key }, query: { env }, body: { plan, reason }, ctx }) => {
    const { plan: row, flagVersion } = await startGuardedRamp({ ctx, input: { key, env, plan, reason } });
    // The flag's version this move made, so the console can tell its own change from someone else's.
    return json({ key, environment: env, rampPlan: toRampPlanView(row), flagVersion }, { status: 201 });
  },
);
