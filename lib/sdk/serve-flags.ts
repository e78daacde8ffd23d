import type { FlagChange } from "@rampart/sdk";
import type { ServiceContext } from "@/lib/context";
import { getRevocationWatch } from "@/lib/credentials/revocation-watch";
import { ValidationError } from "@/lib/errors";
import { encodeEvent, eventStreamResponse } from "@/lib/http/event-stream";
import { readFlagSnapshot } from "./flag-snapshot";
import { getFlagStreamHub } from "./flag-stream-hub";
import { requireSdkEnvironment } from "./sdk-environment";

/** GET /api/sdk/flags: every live flag's state, with an ETag so an unchanged poll costs no body. */
export async function serveFlagSnapshot(ctx: ServiceContext, request: Request): Promise<Response> {
  const snapshot = await readFlagSnapshot(ctx.db, await requireSdkEnvironment(ctx));
  const etag = `"${snapshot.cursor}-${snapshot.flags.length}"`;
  const headers = { etag, "cache-control": "no-cache" };
  if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
  return Response.json(snapshot, { headers });
}

/**
 * GET /api/sdk/stream: changes after Last-Event-ID (or `?after=`), then each one as it commits.
 * A position ahead of the environment's newest change gets every flag's current state instead.
 */
export async function serveFlagStream(ctx: ServiceContext, request: Request): Promise<Response> {
  const environment = await requireSdkEnvironment(ctx);
  const afterSeq = resumePosition(request);
  const hub = await getFlagStreamHub();
  const revocations = await getRevocationWatch();
  return eventStreamResponse(request.signal, async (send, end) => {
    const unsubscribe = await hub.subscribe(environment, afterSeq, (changes) => {
      for (const change of changes) send(encodedChange(change));
    });
    // A revoked key's stream ends within REVOCATION_CHECK_MS; its reconnect is refused.
    const unwatch = revocations.watch(ctx.actor, end);
    return () => {
      unwatch();
      unsubscribe();
    };
  });
}

// The hub hands the same change object to every stream: encode it once, not once per SDK.
const encodedChanges = new WeakMap<FlagChange, Uint8Array>();

function encodedChange(change: FlagChange): Uint8Array {
  let encoded = encodedChanges.get(change);
  if (!encoded) {
    encoded = encodeEvent(
      change.type === "flag"
        ? { id: change.seq, event: "flag", data: change.flag }
        : { id: change.seq, event: "archived", data: { key: change.key } },
    );
    encodedChanges.set(change, encoded);
  }
  return encoded;
}

/** A change position, a non-negative safe integer; one ahead of the newest change gets a fresh state (see the hub). */
export function resumePosition(request: Request): number {
  const raw = request.headers.get("last-event-id") ?? new URL(request.url).searchParams.get("after") ?? "0";
  const position = /^\d{1,16}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(position)) {
    throw new ValidationError("invalid_last_event_id", "Last-Event-ID must be a change position from this stream.", [
      { path: "Last-Event-ID", message: `must be a whole number from 0 to ${Number.MAX_SAFE_INTEGER}` },
    ]);
  }
  return position;
}
