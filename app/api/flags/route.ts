import { createFlag } from "@/lib/flags/create-flag";
import { listFlags } from "@/lib/flags/read-flags";
import { createFlagInputSchema, environmentQuerySchema } from "@/lib/flags/schemas";
import { apiRoute, envOfQuery, json } from "@/lib/http/api-route";

export const GET = apiRoute({ role: "viewer", query: environmentQuerySchema, environment: envOfQuery }, async ({ query: { env }, ctx }) =>
  json(await listFlags({ db: ctx.db, env })),
);

export const POST = apiRoute({ role: "admin", body: createFlagInputSchema }, async ({ body, ctx }) =>
  json(await createFlag({ ctx, input: body }), { status: 201 }),
);
