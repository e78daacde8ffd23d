import { environmentQuerySchema } from "@/lib/flags/schemas";
import { readGuardedRamp } from "@/lib/guard/read-guarded-ramp";
import { apiRoute, envOfQuery, json } from "@/lib/http/api-route";
import { flagKeyParams } from "@/lib/http/route-params";

/** The flag's guarded ramp in `?env=`, with the guard's latest check; `rampPlan: null` when it never had one. */
export const GET = apiRoute(
  { role: "viewer", params: flagKeyParams, query: environmentQuerySchema, environment: envOfQuery },
  async ({ params: { key }, query: { env }, ctx }) => json(await readGuardedRamp(ctx.db, key, env)),
);
