import { createCredential } from "@/lib/credentials/create-credential";
import { listCredentials } from "@/lib/credentials/credential-store";
import { createSdkKeyInputSchema } from "@/lib/credentials/schemas";
import { apiRoute, json } from "@/lib/http/api-route";

export const GET = apiRoute({ role: "admin" }, async ({ ctx }) => json({ sdkKeys: await listCredentials(ctx.db, "sdk-key") }));

export const POST = apiRoute({ role: "admin", body: createSdkKeyInputSchema }, async ({ body, ctx }) =>
  json(await createCredential({ ctx, kind: "sdk-key", input: body }), { status: 201 }),
);
