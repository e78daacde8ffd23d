import { apiRoute, json } from "@/lib/http/api-route";
import { readJsonBody } from "@/lib/http/request-body";
import { updateUserInputSchema } from "@/lib/users/schemas";
import { updateUser } from "@/lib/users/update-user";

export const PATCH = apiRoute<{ id: string }>({ role: "admin" }, async ({ request, params, ctx }) => {
  const input = await readJsonBody(request, updateUserInputSchema);
  return json(await updateUser({ ctx, input: { ...input, id: params.id } }));
});
