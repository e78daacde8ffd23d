import { createFlag } from "@/lib/flags/create-flag";
import { listFlags } from "@/lib/flags/read-flags";
import { createFlagInputSchema, environmentQuerySchema } from "@/lib/flags/schemas";
import { apiRoute, envOfQuery, json } from "@/lib/http/api-route";
import { readJsonBody } from "@/lib/http/request-body";

export const GET = apiRoute({ role: "viewer", query: environmentQuerySchema, environment: envOfQuery }, async ({ query: { env }, ctx }) =>
  json(await listFlags({ db: ctx.db, env })),
);

export const POST = apiRoute({ role: "admin" }, async ({ request, ctx }) => {
  const input = await readJsonBody(request, createFlagInputSchema);
  return json(await createFlag({ ctx, input }), { status: 201 });
});
