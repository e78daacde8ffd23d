import { apiRoute, json } from "@/lib/http/api-route";
import { parseOrThrow } from "@/lib/http/validation";
import { revokeSdkKey } from "@/lib/sdk-keys/revoke-sdk-key";
import { credentialIdSchema } from "@/lib/tokens/schemas";

export const POST = apiRoute<{ id: string }>({ role: "admin" }, async ({ params, ctx }) => {
  const input = parseOrThrow(credentialIdSchema, params, "path");
  return json(await revokeSdkKey({ ctx, input }));
});
