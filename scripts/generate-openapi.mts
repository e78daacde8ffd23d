// npm run openapi: writes docs/openapi.json from the routes' zod schemas (lib/http/openapi.ts).
import { writeFileSync } from "node:fs";
import path from "node:path";
import { openApiDocument, readRouteFiles } from "@/lib/http/openapi";

const root = path.resolve(import.meta.dirname, "..");
const { version } = (await import(path.join(root, "package.json"), { with: { type: "json" } })).default as { version: string };
const document = openApiDocument(await readRouteFiles(root), version);
writeFileSync(path.join(root, "docs", "openapi.json"), `${JSON.stringify(document, null, 2)}\n`);
console.log(`docs/openapi.json: ${Object.keys(document.paths as object).length} paths`);
process.exit(0);
