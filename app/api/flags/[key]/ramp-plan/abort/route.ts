import { environmentQuerySchema, flagActionInputSchema } from "@/lib/flags/schemas";
import { abortGuardedRamp } from "@/lib/guard/guarded-ramp";
import { toRampPlanView } from "@/lib/guard/ramp-plan-view";
import { apiRoute, envOfQuery, json } from "@/lib/http/api-route";
import { flagKeyParams } from "@/lib/http/route-params";

export const POST = apiRoute(
  { role: "operator", params: flagKeyParams, query: environmentQuerySchema, environment: envOfQuery, body: flagActionInputSchema },
  async ({ params: { key }, query: { env }, body: { reason }, ctx }) =>
    json({ key, environment: env, rampPlan: toRampPlanView(await abortGuardedRamp({ ctx, input: { key, env, reason } })) }),
);
