import { apiRoute } from "@/lib/http/api-route";
import { serveOfrepFlags } from "@/lib/sdk/ofrep";
import { ofrepRequestSchema } from "@/lib/sdk/ofrep-schemas";

/** OFREP bulk evaluation, authenticated with an SDK key: every flag of the key's environment. */
export const POST = apiRoute({ role: "sdk", body: ofrepRequestSchema }, ({ request, body, ctx }) => serveOfrepFlags(ctx, request, body.context ?? {}));
