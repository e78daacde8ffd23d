// Tests under app/ assert on rows; they reach the database through the harness, as pages reach it
// through consolePage and route handlers through apiRoute (lib/architecture.test.ts).
export { closeDb, getConnection, getDb } from "@/lib/db/client";
export * from "@/db/schema";
