import { createCredential } from "@/lib/credentials/create-credential";
import { listCredentials } from "@/lib/credentials/credential-store";
import { createApiTokenInputSchema } from "@/lib/credentials/schemas";
import { apiRoute, json } from "@/lib/http/api-route";

export const GET = apiRoute({ role: "admin" }, async ({ ctx }) => json({ tokens: await listCredentials(ctx.db, "api-token") }));

export const POST = apiRoute({ role: "admin", body: createApiTokenInputSchema }, async ({ body, ctx }) =>
  json(await createCredential({ ctx, kind: "api-token", input: body }), { status: 201 }),
);
