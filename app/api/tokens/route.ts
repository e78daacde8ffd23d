import { apiRoute, json } from "@/lib/http/api-route";
import { readJsonBody } from "@/lib/http/request-body";
import { listApiTokens } from "@/lib/tokens/api-token-store";
import { createApiToken } from "@/lib/tokens/create-api-token";
import { createApiTokenInputSchema } from "@/lib/tokens/schemas";

export const GET = apiRoute({ role: "admin" }, async ({ ctx }) => json({ tokens: await listApiTokens(ctx.db) }));

export const POST = apiRoute({ role: "admin" }, async ({ request, ctx }) => {
  const input = await readJsonBody(request, createApiTokenInputSchema);
  return json(await createApiToken({ ctx, input }), { status: 201 });
});
