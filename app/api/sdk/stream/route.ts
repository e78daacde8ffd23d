import { z } from "zod";
import { apiRoute } from "@/lib/http/api-route";
import { serveFlagStream } from "@/lib/sdk/serve-flags";

export const dynamic = "force-dynamic";

// `?after=` is the resume position for clients that cannot set Last-Event-ID; serveFlagStream reads it.
const streamQuerySchema = z.strictObject({ after: z.string().optional() });

export const GET = apiRoute({ role: "sdk", query: streamQuerySchema }, ({ request, ctx }) => serveFlagStream(ctx, request));
