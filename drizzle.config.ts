import { defineConfig } from "drizzle-kit";

// `npm run db:generate` writes SQL from db/schema.ts; migrations apply at start-up (lib/db/migrate.ts).
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema.ts",
  out: "./db/migrations",
});
