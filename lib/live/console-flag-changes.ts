import type { FlagChange } from "@rampart/sdk";
import { desc, eq } from "drizzle-orm";
import { auditEvents, flags } from "@/db/schema";
import type { ServiceContext } from "@/lib/context";
import { getRevocationWatch } from "@/lib/credentials/revocation-watch";
import type { Db } from "@/lib/db/client";
import { requireEnvironment, type Environment } from "@/lib/environments/environment-store";
import { encodeEvent, eventStreamResponse } from "@/lib/http/event-stream";
import { readNewestChangeSeq } from "@/lib/sdk/flag-snapshot";
import { getFlagStreamHub } from "@/lib/sdk/flag-stream-hub";
import { resumePosition } from "@/lib/sdk/serve-flags";

/** What the console hears about one change: enough to refresh the page and say who did what. */
export interface ConsoleFlagChange {
  key: string;
  environment: string;
  /** The flag's state version after the change; null when it was archived. */
  version: number | null;
  killed: boolean | null;
  percentage: number | null;
  /** The percentage before the change, from its audit event; null when unknown. */
  previousPercentage: number | null;
  /** The audit action of the change (`flag.killed`, `flag.state_updated`, `flag.archived`, ...). */
  action: string;
  /** The audit actor: a user's email, `token:<name>`, `controller`, ... */
  actor: string | null;
  at: string | null;
}

// Only the newest few events of a flag can be the one that made this version.
const AUDIT_LOOKBACK = 5;

/** The audit event that made this change: the newest one of the flag there whose `after` has its version. */
export async function describeFlagChange(db: Db, environment: Environment, change: FlagChange): Promise<ConsoleFlagChange> {
  const key = change.type === "flag" ? change.flag.key : change.key;
  const events = await db
    .select({ actor: auditEvents.actor, action: auditEvents.action, at: auditEvents.at, before: auditEvents.before, after: auditEvents.after, environmentId: auditEvents.environmentId })
    .from(auditEvents)
    .innerJoin(flags, eq(flags.id, auditEvents.flagId))
    .where(eq(flags.key, key))
    .orderBy(desc(auditEvents.id))
    .limit(AUDIT_LOOKBACK);
  if (change.type === "archived") {
    const archived = events.find((event) => event.action === "flag.archived");
    return { key, environment: environment.key, version: null, killed: null, percentage: null, previousPercentage: null, action: "flag.archived", actor: archived?.actor ?? null, at: archived?.at.toISOString() ?? null };
  }
  const { version, killed, percentage } = change.flag;
  const made = events.find((event) => event.environmentId === environment.id && numberField(event.after, "version") === version);
  return {
    key,
    environment: environment.key,
    version,
    killed,
    percentage,
    previousPercentage: numberField(made?.before, "percentage"),
    action: made?.action ?? "flag.state_updated",
    actor: made?.actor ?? null,
    at: made?.at.toISOString() ?? null,
  };
}

/** A number field of an audit event's `before` or `after` (a FlagStateView stored as JSON). */
function numberField(view: unknown, field: "version" | "percentage"): number | null {
  if (typeof view !== "object" || view === null) return null;
  const value = (view as Record<string, unknown>)[field];
  return typeof value === "number" ? value : null;
}

/**
 * GET /api/flag-changes: the console's live view of one environment, on the SDK stream's hub.
 * A new stream starts at the newest change (the page it serves was just rendered); a reconnect
 * resumes from Last-Event-ID, so a change made while it was away still arrives.
 */
export async function serveConsoleFlagChanges(ctx: ServiceContext, request: Request, env: string): Promise<Response> {
  const environment = await requireEnvironment(ctx.db, env);
  const resuming = request.headers.has("last-event-id") || new URL(request.url).searchParams.has("after");
  const afterSeq = resuming ? resumePosition(request) : await readNewestChangeSeq(ctx.db, environment.id);
  const hub = await getFlagStreamHub();
  const revocations = await getRevocationWatch();
  return eventStreamResponse(request.signal, async (send, end) => {
    // Described one at a time, in order: the audit read is async and must not reorder events.
    let sending = Promise.resolve();
    const unsubscribe = await hub.subscribe(environment, afterSeq, (changes) => {
      for (const change of changes) {
        sending = sending
          .then(() => describedChange(ctx.db, environment, change))
          .then(send, (error: unknown) => console.error(`[rampart] could not describe a change of ${environment.key}`, error));
      }
    });
    // Opened with an API token: ended when the token is revoked.
    const unwatch = revocations.watch(ctx.actor, end);
    return () => {
      unwatch();
      unsubscribe();
    };
  });
}

// The hub hands every stream the same change object: one audit read per change, not per tab.
const described = new WeakMap<FlagChange, Promise<Uint8Array>>();

function describedChange(db: Db, environment: Environment, change: FlagChange): Promise<Uint8Array> {
  let encoded = described.get(change);
  if (!encoded) {
    encoded = describeFlagChange(db, environment, change).then((data) => encodeEvent({ id: change.seq, event: "change", data }));
    described.set(change, encoded);
  }
  return encoded;
}
