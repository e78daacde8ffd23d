import { apiRoute, json } from "@/lib/http/api-route";
import { numericIdParams } from "@/lib/http/route-params";
import { revokeApiToken } from "@/lib/tokens/revoke-api-token";

export const POST = apiRoute({ role: "admin", params: numericIdParams }, async ({ params, ctx }) =>
  json(await revokeApiToken({ ctx, input: params })),
);
