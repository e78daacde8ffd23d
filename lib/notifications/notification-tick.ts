import type { Db } from "@/lib/db/client";
import { noticeOverdueTickets } from "@/lib/lifecycle/overdue-tickets";
import { runDeliveries } from "./delivery-worker";
import { queueStaleDigests } from "./stale-digest";

const HOURLY_MS = 3_600_000;

/**
 * The delivery leader's work each tick: once an hour, overdue removal tickets noticed and the
 * week's stale digests queued (so a digest goes out within the hour after Monday 09:00 UTC);
 * then the outbox delivered.
 */
export function notificationTick(db: Db): () => Promise<void> {
  let lastHourRun = 0;
  return async () => {
    if (Date.now() - lastHourRun >= HOURLY_MS) {
      lastHourRun = Date.now();
      await noticeOverdueTickets(db);
      await queueStaleDigests(db);
    }
    await runDeliveries(db);
  };
}
