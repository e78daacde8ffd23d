import { environmentQuerySchema, flagActionInputSchema } from "@/lib/flags/schemas";
import { archiveFlag } from "@/lib/lifecycle/archive-flag";
import { apiRoute, json } from "@/lib/http/api-route";
import { flagKeyParams } from "@/lib/http/route-params";

// Archiving takes the flag out of every environment, so an environment-scoped token may not;
// `env` only picks which environment's teardown view is answered.
export const POST = apiRoute(
  { role: "operator", params: flagKeyParams, query: environmentQuerySchema, body: flagActionInputSchema },
  async ({ params: { key }, query: { env }, body: { reason }, ctx }) => json(await archiveFlag({ ctx, input: { key, env, reason } })),
);
