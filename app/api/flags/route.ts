import { createFlag } from "@/lib/flags/create-flag";
import { listFlags } from "@/lib/flags/read-flags";
import { createFlagInputSchema, environmentQuerySchema } from "@/lib/flags/schemas";
import { apiRoute, envFromQuery, json, parseQuery } from "@/lib/http/api-route";
import { readJsonBody } from "@/lib/http/request-body";

export const GET = apiRoute({ role: "viewer", environment: envFromQuery }, async ({ url, ctx }) => {
  const { env } = parseQuery(url, environmentQuerySchema);
  return json(await listFlags({ db: ctx.db, env }));
});

export const POST = apiRoute({ role: "admin" }, async ({ request, ctx }) => {
  const input = await readJsonBody(request, createFlagInputSchema);
  return json(await createFlag({ ctx, input }), { status: 201 });
});
