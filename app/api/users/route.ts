import { apiRoute, json } from "@/lib/http/api-route";
import { createUser } from "@/lib/users/create-user";
import { createUserInputSchema } from "@/lib/users/schemas";
import { listUsers } from "@/lib/users/user-store";

export const GET = apiRoute({ role: "admin" }, async ({ ctx }) => json({ users: await listUsers(ctx.db) }));

export const POST = apiRoute({ role: "admin", body: createUserInputSchema }, async ({ body, ctx }) =>
  json(await createUser({ ctx, input: body }), { status: 201 }),
);
