import { apiRoute, json } from "@/lib/http/api-route";
import { readJsonBody } from "@/lib/http/request-body";
import { createUser } from "@/lib/users/create-user";
import { createUserInputSchema } from "@/lib/users/schemas";
import { listUsers } from "@/lib/users/user-store";

export const GET = apiRoute({ role: "admin" }, async ({ ctx }) => json({ users: await listUsers(ctx.db) }));

export const POST = apiRoute({ role: "admin" }, async ({ request, ctx }) => {
  const input = await readJsonBody(request, createUserInputSchema);
  return json(await createUser({ ctx, input }), { status: 201 });
});
