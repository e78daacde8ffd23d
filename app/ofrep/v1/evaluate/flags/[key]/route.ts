import { apiRoute } from "@/lib/http/api-route";
import { flagKeyParams } from "@/lib/http/route-params";
import { serveOfrepFlag } from "@/lib/sdk/ofrep";
import { ofrepRequestSchema } from "@/lib/sdk/ofrep-schemas";

/** OFREP single-flag evaluation, authenticated with an SDK key. */
export const POST = apiRoute({ role: "sdk", params: flagKeyParams, body: ofrepRequestSchema }, ({ params: { key }, body, ctx }) => serveOfrepFlag(ctx, key, body.context ?? {}));
