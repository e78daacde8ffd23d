import { apiRoute, json } from "@/lib/http/api-route";
import { updateUserInputSchema, userIdParams } from "@/lib/users/schemas";
import { updateUser } from "@/lib/users/update-user";

export const PATCH = apiRoute({ role: "admin", params: userIdParams, body: updateUserInputSchema }, async ({ params: { id }, body, ctx }) =>
  json(await updateUser({ ctx, input: { ...body, id } })),
);
