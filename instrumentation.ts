// Runs once when the server starts: open and migrate the database, then first-run setup
// (the first admin, and the API token and SDK keys named in the environment).
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    // Each SDK stream holds a socket: warn now, not at the first EMFILE under load.
    const { checkOpenFilesLimit } = await import("@/lib/runtime/fd-limit");
    checkOpenFilesLimit();
    const { getConnection } = await import("@/lib/db/client");
    const { runFirstRunSetup } = await import("@/lib/setup/first-run");
    const { db, driver } = await getConnection();
    await runFirstRunSetup(db, process.env);
    console.log(`[rampart] database ready (${driver})`);
    // The fleet's two hot routes, served by scripts/server.mjs straight from the Node request (lib/runtime/node-route.ts).
    const [{ registerNodeRoute }, sdkStream, sdkMetrics, { securityHeaders }] = await Promise.all([
      import("@/lib/runtime/node-route"),
      import("@/app/api/sdk/stream/route"),
      import("@/app/api/sdk/metrics/route"),
      import("@/next.config"),
    ]);
    registerNodeRoute("GET", "/api/sdk/stream", sdkStream.GET, securityHeaders);
    registerNodeRoute("POST", "/api/sdk/metrics", sdkMetrics.POST, securityHeaders);
    const { applyMetricsRetention } = await import("@/lib/metrics/retention");
    const retain = () => applyMetricsRetention(db).catch((error: unknown) => console.error("[rampart] metrics retention failed", error));
    setInterval(retain, 10 * 60_000).unref();
    // Guarded ramps: one instance leads (docs/decisions/0007); the others stand by to take over.
    const { startGuardLoop, GUARD_LEADER_LOCK_ID } = await import("@/lib/guard/guard-loop");
    const connection = await getConnection();
    startGuardLoop({ db, lease: connection.leaderLease(GUARD_LEADER_LOCK_ID) });
    // Application-database evidence: one instance samples every connected database (docs/decisions/0009).
    const [{ startLeaderLoop }, evidence, { verifyPendingContractions }] = await Promise.all([
      import("@/lib/runtime/leader-loop"),
      import("@/lib/app-db/evidence-sampler"),
      import("@/lib/lifecycle/contraction-watch"),
    ]);
    startLeaderLoop({
      tag: "evidence",
      name: "application database sampling",
      lease: connection.leaderLease(evidence.EVIDENCE_LEADER_LOCK_ID),
      intervalMs: evidence.EVIDENCE_INTERVAL_MS,
      run: evidence.evidenceTick(db, { hourly: verifyPendingContractions }),
    });
    // Notifications: the outbox is written with each audit event; one instance delivers it, in order per flag.
    const deliveries = await import("@/lib/notifications/delivery-worker");
    startLeaderLoop({
      tag: "notifications",
      name: "notification delivery",
      lease: connection.leaderLease(deliveries.DELIVERY_LEADER_LOCK_ID),
      intervalMs: deliveries.DELIVERY_INTERVAL_MS,
      run: (await import("@/lib/notifications/notification-tick")).notificationTick(db),
    });
  }
}
