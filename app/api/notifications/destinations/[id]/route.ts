import { removeDestination, updateDestination } from "@/lib/notifications/destinations";
import { updateDestinationSchema } from "@/lib/notifications/schemas";
import { apiRoute, json } from "@/lib/http/api-route";
import { numericIdParams } from "@/lib/http/route-params";

export const PATCH = apiRoute({ role: "admin", params: numericIdParams, body: updateDestinationSchema }, async ({ params: { id }, body, ctx }) =>
  json(await updateDestination(ctx, id, body)),
);

export const DELETE = apiRoute({ role: "admin", params: numericIdParams }, async ({ params: { id }, ctx }) => {
  await removeDestination(ctx, id);
  return new Response(null, { status: 204 });
});
