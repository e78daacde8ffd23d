import { environmentQuerySchema } from "@/lib/flags/schemas";
import { readTeardown } from "@/lib/lifecycle/teardown";
import { apiRoute, envFromQuery, json, parseQuery } from "@/lib/http/api-route";
import { parseFlagKeyParam } from "@/lib/http/route-params";

export const GET = apiRoute<{ key: string }>({ role: "viewer", environment: envFromQuery }, async ({ params, url, ctx }) => {
  const key = parseFlagKeyParam(params);
  const { env } = parseQuery(url, environmentQuerySchema);
  return json(await readTeardown({ db: ctx.db, key, env }));
});
