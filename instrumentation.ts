// Runs once when the server starts: open and migrate the database, then first-run setup
// (the first admin, and the API token and SDK keys named in the environment).
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { getConnection } = await import("@/lib/db/client");
    const { runFirstRunSetup } = await import("@/lib/auth/first-run");
    const { db, driver } = await getConnection();
    await runFirstRunSetup(db, process.env);
    console.log(`[rampart] database ready (${driver})`);
    const { applyMetricsRetention } = await import("@/lib/metrics/retention");
    const retain = () => applyMetricsRetention(db).catch((error: unknown) => console.error("[rampart] metrics retention failed", error));
    setInterval(retain, 10 * 60_000).unref();
  }
}
