import type { NotificationPayload } from "@/lib/audit/notification-outbox";
import type { Db } from "@/lib/db/client";
import { postJson, type DeliveryResult } from "./deliver";
import { findDueHeads, saveAttempt, type DeliveryRow, type DestinationRow } from "./delivery-store";
import { destinationSecrets } from "./destination-secrets";
import { signatureHeader } from "./signing";
import { slackMessage, staleDigestSlackMessage } from "./slack-message";
import type { StaleDigestPayload } from "./stale-digest";

/** The advisory lock whose holder delivers notifications: one instance, so each is sent once. */
export const DELIVERY_LEADER_LOCK_ID = 7_204_316_018;
export const DELIVERY_INTERVAL_MS = Number(process.env.RAMPART_DELIVERY_INTERVAL_MS) > 0 ? Number(process.env.RAMPART_DELIVERY_INTERVAL_MS) : 1_000;
/** Retries go on about an hour from when the delivery was queued, then it is `failed`. */
export const RETRY_FOR_MS = Number(process.env.RAMPART_DELIVERY_RETRY_FOR_MS) > 0 ? Number(process.env.RAMPART_DELIVERY_RETRY_FOR_MS) : 3_600_000;
const BACKOFF_BASE_MS = 2_000;
const BACKOFF_CAP_MS = 5 * 60_000;
const PARALLEL = 4;

/** Exponential, capped, with full jitter, so receivers coming back are not met by every sender at once. */
export function retryDelayMs(attempts: number, random = Math.random): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1));
  return Math.max(500, Math.round(random() * ceiling));
}

/** The request a destination gets: Slack's Block Kit, or the signed generic JSON. */
export function requestFor(destination: DestinationRow, payload: NotificationPayload | StaleDigestPayload, at = new Date()): { url: string; body: string; headers: Record<string, string> } {
  const secrets = destinationSecrets(destination);
  if (destination.kind === "slack") {
    const message = payload.type === "stale_digest" ? staleDigestSlackMessage(payload) : slackMessage(payload);
    return { url: secrets.url, body: JSON.stringify(message), headers: {} };
  }
  const body = JSON.stringify(payload);
  return {
    url: secrets.url,
    body,
    headers: {
      "Rampart-Event-Id": payload.id,
      "Rampart-Event-Type": payload.type,
      ...(secrets.signingSecret ? { "Rampart-Signature": signatureHeader(secrets.signingSecret, body, at) } : {}),
    },
  };
}

/**
 * Sends what is due, oldest first, each (destination, flag) in order, until nothing is due.
 * A 2xx is delivered; a failure is retried with backoff until RETRY_FOR_MS after queuing.
 */
export async function runDeliveries(db: Db, { now = () => new Date(), post = postJson } = {}): Promise<{ delivered: number; failed: number; retrying: number }> {
  const counts = { delivered: 0, failed: 0, retrying: 0 };
  for (let round = 0; round < 50; round++) {
    const due = await findDueHeads(db, now(), PARALLEL * 4);
    if (due.length === 0) break;
    for (let i = 0; i < due.length; i += PARALLEL) {
      await Promise.all(due.slice(i, i + PARALLEL).map(({ delivery, destination }) => attempt(db, delivery, destination, now, post, counts)));
    }
  }
  return counts;
}

async function attempt(db: Db, delivery: DeliveryRow, destination: DestinationRow, now: () => Date, post: typeof postJson, counts: { delivered: number; failed: number; retrying: number }) {
  let result: DeliveryResult;
  try {
    const request = requestFor(destination, delivery.payload as NotificationPayload | StaleDigestPayload, now());
    result = await post(request.url, request.body, request.headers);
  } catch (error) {
    result = { ok: false, statusCode: null, excerpt: null, error: error instanceof Error ? error.message : String(error) };
  }
  const at = now();
  const seen = { lastAttemptAt: at, lastStatusCode: result.statusCode, lastResponseExcerpt: result.excerpt, lastError: result.error };
  if (result.ok) {
    if (await saveAttempt(db, delivery, { ...seen, status: "delivered", deliveredAt: at })) counts.delivered += 1;
    return;
  }
  const givingUp = at.getTime() - delivery.queuedAt.getTime() >= RETRY_FOR_MS;
  const change = givingUp ? { ...seen, status: "failed" as const } : { ...seen, nextAttemptAt: new Date(at.getTime() + retryDelayMs(delivery.attempts + 1)) };
  if (await saveAttempt(db, delivery, change)) counts[givingUp ? "failed" : "retrying"] += 1;
}
