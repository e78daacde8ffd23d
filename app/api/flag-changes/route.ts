import { z } from "zod";
import { environmentKeySchema } from "@/lib/environments/schemas";
import { DEFAULT_ENVIRONMENT } from "@/lib/environments/default-environment";
import { apiRoute, envOfQuery } from "@/lib/http/api-route";
import { serveConsoleFlagChanges } from "@/lib/live/console-flag-changes";

export const dynamic = "force-dynamic";

// Not under /api/flags/: a flag may be called `changes`. `?after=` resumes like Last-Event-ID.
const changesQuerySchema = z.strictObject({ env: environmentKeySchema.default(DEFAULT_ENVIRONMENT), after: z.string().optional() });

export const GET = apiRoute({ role: "viewer", query: changesQuerySchema, environment: envOfQuery }, ({ request, query: { env }, ctx }) =>
  serveConsoleFlagChanges(ctx, request, env),
);
