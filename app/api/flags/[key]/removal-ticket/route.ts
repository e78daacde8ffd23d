import { removalTicketPatchSchema } from "@/lib/flags/schemas";
import { updateRemovalTicket } from "@/lib/lifecycle/removal-ticket";
import { apiRoute, json } from "@/lib/http/api-route";
import { flagKeyParams } from "@/lib/http/route-params";

export const PATCH = apiRoute({ role: "operator", params: flagKeyParams, body: removalTicketPatchSchema }, async ({ params: { key }, body, ctx }) =>
  json(await updateRemovalTicket({ ctx, input: { key, patch: body } })),
);
