import document from "@/docs/openapi.json";
import { apiRoute, json } from "@/lib/http/api-route";

/** This API's OpenAPI 3.1 document, generated from the routes' own schemas (`npm run openapi`). */
export const GET = apiRoute({ role: "any", openWhen: () => true }, async () => json(document));
