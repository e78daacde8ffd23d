import { environmentQuerySchema } from "@/lib/flags/schemas";
import { readTeardown } from "@/lib/lifecycle/read-teardown";
import { apiRoute, envOfQuery, json } from "@/lib/http/api-route";
import { flagKeyParams } from "@/lib/http/route-params";

export const GET = apiRoute(
  { role: "viewer", params: flagKeyParams, query: environmentQuerySchema, environment: envOfQuery },
  async ({ params: { key }, query: { env }, ctx }) => json(await readTeardown({ db: ctx.db, key, env })),
);
