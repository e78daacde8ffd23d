// Runs once when the server starts: open the database and apply migrations before the first request.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { getConnection } = await import("@/lib/db/client");
    const { driver } = await getConnection();
    console.log(`[rampart] database ready (${driver})`);
  }
}
