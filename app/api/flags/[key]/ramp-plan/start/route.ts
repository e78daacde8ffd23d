import { environmentQuerySchema } from "@/lib/flags/schemas";
import { startGuardedRamp } from "@/lib/guard/guarded-ramp";
import { startRampSchema } from "@/lib/guard/ramp-plan";
import { toRampPlanView } from "@/lib/guard/ramp-plan-view";
import { apiRoute, envOfQuery, json } from "@/lib/http/api-route";
import { flagKeyParams } from "@/lib/http/route-params";

export const POST = apiRoute(
  { role: "operator", params: flagKeyParams, query: environmentQuerySchema, environment: envOfQuery, body: startRampSchema },
  async ({ params: { key }, query: { env }, body: { plan, reason }, ctx }) =>
    json({ key, environment: env, rampPlan: toRampPlanView(await startGuardedRamp({ ctx, input: { key, env, plan, reason } })) }, { status: 201 }),
);
