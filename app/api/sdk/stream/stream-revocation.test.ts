import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { GET as consoleFeedRoute } from "@/app/api/flag-changes/route";
import { POST as revokeRoute } from "@/app/api/sdk-keys/[id]/revoke/route";
import { POST as revokeTokenRoute } from "@/app/api/tokens/[id]/revoke/route";
import { markCredentialRevoked } from "@/lib/credentials/credential-store";
import { hashSecret } from "@/lib/credentials/secrets";
import { callRoute, givenSdkKey, givenToken } from "@/testing/api";
import { startControlPlaneServer } from "@/testing/control-plane-server";
import { apiTokens, getDb, sdkKeys } from "@/testing/db";

// Read when the stream modules load: revocations checked every 100 ms instead of every 10 s.
vi.hoisted(() => {
  process.env.RAMPART_STREAM_REVOCATION_CHECK_MS = "100";
});

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function server(): Promise<{ url: string }> {
  const started = await startControlPlaneServer();
  cleanups.push(() => started.close());
  return started;
}

/** A raw stream; `ended` settles with how it ended once the server closes it. */
async function openStream(url: string, sdkKey: string): Promise<{ ended: Promise<"closed" | "errored">; isOpen: () => boolean }> {
  const abort = new AbortController();
  const response = await fetch(`${url}/api/sdk/stream`, { headers: { authorization: `Bearer ${sdkKey}` }, signal: abort.signal });
  cleanups.push(async () => abort.abort());
  return reading(response);
}

function reading(response: Response): { ended: Promise<"closed" | "errored">; isOpen: () => boolean } {
  expect(response.status).toBe(200);
  let open = true;
  const reader = response.body!.getReader();
  const ended = (async () => {
    try {
      while (!(await reader.read()).done);
      return "closed" as const;
    } catch {
      return "errored" as const;
    } finally {
      open = false;
    }
  })();
  return { ended, isOpen: () => open };
}

async function idOf(secret: string, table: typeof sdkKeys | typeof apiTokens = sdkKeys): Promise<number> {
  const [row] = await (await getDb()).select({ id: table.id }).from(table).where(eq(table.secretHash, hashSecret(secret)));
  return row!.id;
}

const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise, new Promise<"timed out">((resolve) => setTimeout(() => resolve("timed out"), ms))]);

describe("an SDK stream whose key is revoked", () => {
  it("is ended by the server within the check interval, and its reconnect is refused; other keys' streams stay open", async () => {
    const { url } = await server();
    const revokedHere = await givenSdkKey();
    const revokedElsewhere = await givenSdkKey();
    const kept = await givenSdkKey();
    const [here, here2, elsewhere, live] = await Promise.all([openStream(url, revokedHere), openStream(url, revokedHere), openStream(url, revokedElsewhere), openStream(url, kept)]);

    const id = await idOf(revokedHere);
    expect((await callRoute(revokeRoute, { method: "POST", path: `/api/sdk-keys/${id}/revoke`, params: { id: String(id) } })).status).toBe(200);
    // As another instance revokes it: only the database knows.
    expect(await markCredentialRevoked(await getDb(), "sdk-key", await idOf(revokedElsewhere))).toBe(true);

    expect(await within(here.ended, 3_000)).toBe("closed");
    expect(await within(here2.ended, 3_000)).toBe("closed");
    expect(await within(elsewhere.ended, 3_000)).toBe("closed");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(live.isOpen()).toBe(true);

    // The SDK-key cache forgets within seconds on an instance that did not revoke; this one forgot at once.
    const again = await fetch(`${url}/api/sdk/stream`, { headers: { authorization: `Bearer ${revokedHere}` } });
    expect(again.status).toBe(401);
    await again.body?.cancel();
  });
});

describe("the console's live feed opened with an API token", () => {
  it("is ended once the token is revoked; one opened with another token stays open", async () => {
    const open = async (secret: string) => {
      const abort = new AbortController();
      cleanups.push(async () => abort.abort());
      const request = new Request("http://localhost/api/flag-changes?env=production", { headers: { authorization: `Bearer ${secret}` }, signal: abort.signal });
      return reading(await consoleFeedRoute(request, { params: Promise.resolve({}) }));
    };
    const revoked = await givenToken("viewer");
    const kept = await givenToken("viewer");
    const [feed, other] = await Promise.all([open(revoked.secret), open(kept.secret)]);

    const id = await idOf(revoked.secret, apiTokens);
    expect((await callRoute(revokeTokenRoute, { method: "POST", path: `/api/tokens/${id}/revoke`, params: { id: String(id) } })).status).toBe(200);
    expect(await within(feed.ended, 3_000)).toBe("closed");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(other.isOpen()).toBe(true);
  });
});
