import { apiRoute, json } from "@/lib/http/api-route";
import { parseOrThrow } from "@/lib/http/validation";
import { revokeApiToken } from "@/lib/tokens/revoke-api-token";
import { credentialIdSchema } from "@/lib/tokens/schemas";

export const POST = apiRoute<{ id: string }>({ role: "admin" }, async ({ params, ctx }) => {
  const input = parseOrThrow(credentialIdSchema, params, "path");
  return json(await revokeApiToken({ ctx, input }));
});
