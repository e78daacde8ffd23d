import { redeliver } from "@/lib/notifications/delivery-log";
import { apiRoute, json } from "@/lib/http/api-route";
import { numericIdParams } from "@/lib/http/route-params";

export const POST = apiRoute({ role: "admin", params: numericIdParams }, async ({ params: { id }, ctx }) => json(await redeliver(ctx, id), { status: 202 }));
