import { apiRoute } from "@/lib/http/api-route";
import { serveFlagStream } from "@/lib/sdk/serve-flags";

export const dynamic = "force-dynamic";

export const GET = apiRoute({ role: "sdk" }, ({ request, ctx }) => serveFlagStream(ctx, request));
