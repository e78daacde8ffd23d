import { listDeliveries } from "@/lib/notifications/delivery-log";
import { apiRoute, json } from "@/lib/http/api-route";
import { numericIdParams } from "@/lib/http/route-params";

/** The destination's last 100 deliveries, newest first: status, attempts, last answer, next retry. */
export const GET = apiRoute({ role: "admin", params: numericIdParams }, async ({ params: { id }, ctx }) => json({ deliveries: await listDeliveries(ctx, id) }));
