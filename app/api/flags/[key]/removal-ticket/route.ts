import { removalTicketPatchSchema } from "@/lib/flags/schemas";
import { updateRemovalTicket } from "@/lib/lifecycle/removal-ticket";
import { apiRoute, json } from "@/lib/http/api-route";
import { readJsonBody } from "@/lib/http/request-body";
import { flagKeyParams } from "@/lib/http/route-params";

export const PATCH = apiRoute({ role: "operator", params: flagKeyParams }, async ({ request, params: { key }, ctx }) => {
  const patch = await readJsonBody(request, removalTicketPatchSchema);
  return json(await updateRemovalTicket({ ctx, key, patch }));
});
