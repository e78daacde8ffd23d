import type { Db } from "@/lib/db/client";
import { noticeOverdueTickets } from "@/lib/lifecycle/overdue-tickets";
import { runDeliveries } from "./delivery-worker";

const HOURLY_MS = 3_600_000;

/** The delivery leader's work each tick: overdue removal tickets noticed once an hour, then the outbox delivered. */
export function notificationTick(db: Db): () => Promise<void> {
  let lastHourRun = 0;
  return async () => {
    if (Date.now() - lastHourRun >= HOURLY_MS) {
      lastHourRun = Date.now();
      await noticeOverdueTickets(db);
    }
    await runDeliveries(db);
  };
}
