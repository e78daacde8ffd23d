import { addAppDatabase, listAppDatabases } from "@/lib/app-db/app-databases";
import { addAppDatabaseSchema } from "@/lib/app-db/schemas";
import { environmentQuerySchema } from "@/lib/flags/schemas";
import { apiRoute, envOfQuery, json } from "@/lib/http/api-route";

/** Everyone sees each application database's name, kind and health; admins also its test details. */
export const GET = apiRoute({ role: "viewer" }, async ({ ctx }) => json({ appDatabases: await listAppDatabases(ctx) }));

/** Adds the application database of `?env=`; the DSN is stored encrypted and never returned. */
export const POST = apiRoute(
  { role: "admin", query: environmentQuerySchema, environment: envOfQuery, body: addAppDatabaseSchema },
  async ({ query: { env }, body, ctx }) => json(await addAppDatabase({ ctx, env, input: body }), { status: 201 }),
);
