import { apiRoute, json } from "@/lib/http/api-route";
import { readJsonBody } from "@/lib/http/request-body";
import { createSdkKey } from "@/lib/sdk-keys/create-sdk-key";
import { listSdkKeys } from "@/lib/sdk-keys/sdk-key-store";
import { createSdkKeyInputSchema } from "@/lib/tokens/schemas";

export const GET = apiRoute({ role: "admin" }, async ({ ctx }) => json({ sdkKeys: await listSdkKeys(ctx.db) }));

export const POST = apiRoute({ role: "admin" }, async ({ request, ctx }) => {
  const input = await readJsonBody(request, createSdkKeyInputSchema);
  return json(await createSdkKey({ ctx, input }), { status: 201 });
});
