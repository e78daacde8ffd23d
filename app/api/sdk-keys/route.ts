import { apiRoute, json } from "@/lib/http/api-route";
import { createSdkKey } from "@/lib/sdk-keys/create-sdk-key";
import { listSdkKeys } from "@/lib/sdk-keys/sdk-key-store";
import { createSdkKeyInputSchema } from "@/lib/tokens/schemas";

export const GET = apiRoute({ role: "admin" }, async ({ ctx }) => json({ sdkKeys: await listSdkKeys(ctx.db) }));

export const POST = apiRoute({ role: "admin", body: createSdkKeyInputSchema }, async ({ body, ctx }) =>
  json(await createSdkKey({ ctx, input: body }), { status: 201 }),
);
