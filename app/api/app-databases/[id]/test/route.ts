import { testAppDatabase } from "@/lib/app-db/app-databases";
import { apiRoute, json } from "@/lib/http/api-route";
import { numericIdParams } from "@/lib/http/route-params";

/** Connects read-only and records whether the database answers: 200 either way, with its health. */
export const POST = apiRoute({ role: "admin", params: numericIdParams }, async ({ params: { id }, ctx }) => json(await testAppDatabase({ ctx, id })));
