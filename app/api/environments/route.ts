import { createEnvironment, createEnvironmentInputSchema } from "@/lib/environments/create-environment";
import { listEnvironments } from "@/lib/environments/environment-store";
import { apiRoute, json } from "@/lib/http/api-route";

export const GET = apiRoute({ role: "viewer" }, async ({ ctx }) => {
  const environments = await listEnvironments(ctx.db);
  return json({ environments: environments.map(({ key, name }) => ({ key, name })) });
});

export const POST = apiRoute({ role: "admin", body: createEnvironmentInputSchema }, async ({ body, ctx }) =>
  json(await createEnvironment({ ctx, input: body }), { status: 201 }),
);
