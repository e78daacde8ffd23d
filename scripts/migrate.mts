// Applies db/migrations to DATABASE_URL (or the embedded database) and exits.
// Start-up does this too; the script is for deploy pipelines that migrate first.
import { closeDb, getConnection } from "@/lib/db/client";

const startAt = Number(process.env.RAMPART_MIGRATE_AT ?? 0);
if (startAt > Date.now()) await new Promise((resolve) => setTimeout(resolve, startAt - Date.now()));

const { driver } = await getConnection();
console.log(`migrated (${driver})`);
await closeDb();
