import { listEnvironments } from "@/lib/environments/environment-store";
import { apiRoute, json } from "@/lib/http/api-route";

export const GET = apiRoute({ role: "viewer" }, async ({ ctx }) => {
  const environments = await listEnvironments(ctx.db);
  return json({ environments: environments.map(({ key, name }) => ({ key, name })) });
});
