import { createEnvironment, createEnvironmentInputSchema } from "@/lib/environments/create-environment";
import { listEnvironments } from "@/lib/environments/environment-store";
import { apiRoute, json } from "@/lib/http/api-route";
import { readJsonBody } from "@/lib/http/request-body";

export const GET = apiRoute({ role: "viewer" }, async ({ ctx }) => {
  const environments = await listEnvironments(ctx.db);
  return json({ environments: environments.map(({ key, name }) => ({ key, name })) });
});

export const POST = apiRoute({ role: "admin" }, async ({ request, ctx }) => {
  const input = await readJsonBody(request, createEnvironmentInputSchema);
  return json(await createEnvironment({ ctx, input }), { status: 201 });
});
