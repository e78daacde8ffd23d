import { apiRoute, json } from "@/lib/http/api-route";
import { readJsonBody } from "@/lib/http/request-body";
import { updateUserInputSchema, userIdParams } from "@/lib/users/schemas";
import { updateUser } from "@/lib/users/update-user";

export const PATCH = apiRoute({ role: "admin", params: userIdParams }, async ({ request, params: { id }, ctx }) => {
  const input = await readJsonBody(request, updateUserInputSchema);
  return json(await updateUser({ ctx, input: { ...input, id } }));
});
