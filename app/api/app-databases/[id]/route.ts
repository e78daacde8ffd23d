import { removeAppDatabase } from "@/lib/app-db/app-databases";
import { apiRoute } from "@/lib/http/api-route";
import { numericIdParams } from "@/lib/http/route-params";

export const DELETE = apiRoute({ role: "admin", params: numericIdParams }, async ({ params: { id }, ctx }) => {
  await removeAppDatabase({ ctx, id });
  return new Response(null, { status: 204 });
});
