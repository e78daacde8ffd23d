import { apiRoute, json } from "@/lib/http/api-route";
import { numericIdParams } from "@/lib/http/route-params";
import { revokeSdkKey } from "@/lib/sdk-keys/revoke-sdk-key";

export const POST = apiRoute({ role: "admin", params: numericIdParams }, async ({ params, ctx }) =>
  json(await revokeSdkKey({ ctx, input: params })),
);
