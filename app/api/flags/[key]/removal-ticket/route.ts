import { removalTicketPatchSchema } from "@/lib/flags/schemas";
import { updateRemovalTicket } from "@/lib/lifecycle/removal-ticket";
import { apiRoute, json } from "@/lib/http/api-route";
import { readJsonBody } from "@/lib/http/request-body";
import { parseFlagKeyParam } from "@/lib/http/route-params";

export const PATCH = apiRoute<{ key: string }>({ role: "operator" }, async ({ request, params, ctx }) => {
  const key = parseFlagKeyParam(params);
  const patch = await readJsonBody(request, removalTicketPatchSchema);
  return json(await updateRemovalTicket({ ctx, key, patch }));
});
