import { readDatabaseEvidence } from "@/lib/app-db/database-evidence";
import { environmentQuerySchema } from "@/lib/flags/schemas";
import { apiRoute, envOfQuery, json } from "@/lib/http/api-route";
import { flagKeyParams } from "@/lib/http/route-params";

/** The application database's evidence on the flag's contraction in `?env=`, read now and read-only. */
export const GET = apiRoute(
  { role: "viewer", params: flagKeyParams, query: environmentQuerySchema, environment: envOfQuery },
  async ({ params: { key }, query: { env }, ctx }) => json(await readDatabaseEvidence(ctx.db, key, env)),
);
