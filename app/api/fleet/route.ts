import { apiRoute, envOfQuery, json } from "@/lib/http/api-route";
import { fleetQuerySchema, readFleetHealth } from "@/lib/metrics/fleet-health";

export const GET = apiRoute(
  { role: "viewer", query: fleetQuerySchema, environment: envOfQuery },
  async ({ query: { env, window, limit }, ctx }) => json(await readFleetHealth(ctx.db, { env, window, limit })),
);
