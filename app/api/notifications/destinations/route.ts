import { addDestination, listDestinations } from "@/lib/notifications/destinations";
import { addDestinationSchema } from "@/lib/notifications/schemas";
import { apiRoute, json } from "@/lib/http/api-route";

/** Admins only: a destination's filters say what Rampart does, its host where it sends. */
export const GET = apiRoute({ role: "admin" }, async ({ ctx }) => json({ destinations: await listDestinations(ctx) }));

/** The URL is stored encrypted; a webhook's signing secret is in this answer only. */
export const POST = apiRoute({ role: "admin", body: addDestinationSchema }, async ({ body, ctx }) => json(await addDestination(ctx, body), { status: 201 }));
