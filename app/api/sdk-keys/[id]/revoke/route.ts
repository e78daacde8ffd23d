import { revokeCredential } from "@/lib/credentials/revoke-credential";
import { apiRoute, json } from "@/lib/http/api-route";
import { numericIdParams } from "@/lib/http/route-params";

export const POST = apiRoute({ role: "admin", params: numericIdParams }, async ({ params, ctx }) =>
  json(await revokeCredential({ ctx, kind: "sdk-key", input: params })),
);
