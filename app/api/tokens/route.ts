import { apiRoute, json } from "@/lib/http/api-route";
import { listApiTokens } from "@/lib/tokens/api-token-store";
import { createApiToken } from "@/lib/tokens/create-api-token";
import { createApiTokenInputSchema } from "@/lib/tokens/schemas";

export const GET = apiRoute({ role: "admin" }, async ({ ctx }) => json({ tokens: await listApiTokens(ctx.db) }));

export const POST = apiRoute({ role: "admin", body: createApiTokenInputSchema }, async ({ body, ctx }) =>
  json(await createApiToken({ ctx, input: body }), { status: 201 }),
);
