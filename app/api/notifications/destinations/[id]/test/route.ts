import { sendTest } from "@/lib/notifications/delivery-log";
import { apiRoute, json } from "@/lib/http/api-route";
import { numericIdParams } from "@/lib/http/route-params";

/** Sends a test message now and answers how it went (the receiver's status, or why not). */
export const POST = apiRoute({ role: "admin", params: numericIdParams }, async ({ params: { id }, ctx }) => json(await sendTest(ctx, id)));
