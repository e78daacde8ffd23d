import { apiRoute } from "@/lib/http/api-route";
import { serveFlagSnapshot } from "@/lib/sdk/serve-flags";

export const GET = apiRoute({ role: "sdk" }, ({ request, ctx }) => serveFlagSnapshot(ctx, request));
