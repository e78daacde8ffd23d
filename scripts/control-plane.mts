// A control-plane instance serving Rampart's route handlers over HTTP without a Next build,
// for tests and benchmarks that need several instances: `node --import tsx scripts/control-plane.mts [port]`.
import { getConnection, getDb } from "@/lib/db/client";
import { GUARD_LEADER_LOCK_ID, startGuardLoop } from "@/lib/guard/guard-loop";
import { DELIVERY_INTERVAL_MS, DELIVERY_LEADER_LOCK_ID } from "@/lib/notifications/delivery-worker";
import { notificationTick } from "@/lib/notifications/notification-tick";
import { startLeaderLoop } from "@/lib/runtime/leader-loop";
import { runFirstRunSetup } from "@/lib/setup/first-run";
import { startControlPlaneServer } from "@/testing/control-plane-server";

// RAMPART_INIT_ADMIN_TOKEN / RAMPART_INIT_SDK_KEYS register credentials, as `npm start` does.
await runFirstRunSetup(await getDb(), process.env, () => undefined);
const server = await startControlPlaneServer(Number(process.argv[2] ?? 0));
console.log(`listening ${server.url}`);
// As `npm start` does: this instance leads the ramp guard and the deliveries, or stands by to take over.
const connection = await getConnection();
startGuardLoop({ db: connection.db, lease: connection.leaderLease(GUARD_LEADER_LOCK_ID) });
// And the notification outbox: one instance delivers it.
startLeaderLoop({
  tag: "notifications",
  name: "notification delivery",
  lease: connection.leaderLease(DELIVERY_LEADER_LOCK_ID),
  intervalMs: DELIVERY_INTERVAL_MS,
  run: notificationTick(connection.db),
});
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => server.close().then(() => process.exit(0)));
}
