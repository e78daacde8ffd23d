import { readFileSync } from "node:fs";
import path from "node:path";
import { OFREPProvider } from "@openfeature/ofrep-provider";
import { OpenFeature } from "@openfeature/server-sdk";
import { createClient, evaluate, type FlagState, type RampartClient } from "@rampart/sdk";
import { OPENFEATURE_REASONS } from "@rampart/sdk/openfeature";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluateForOfrep } from "@/lib/sdk/ofrep";
import { updateFlagState } from "@/lib/flags/update-flag-state";
import { killFlag } from "@/lib/flags/kill-switch";
import { callRoute, givenFlag, givenSdkKey, givenToken, testContext } from "@/testing/api";
import { startControlPlaneServer, type ControlPlaneServer } from "@/testing/control-plane-server";
import * as bulkRoute from "./v1/evaluate/flags/route";
import * as flagRoute from "./v1/evaluate/flags/[key]/route";

type Vector = { name: string; state: FlagState | null; context: unknown; fallback?: boolean; expected: { value: boolean; reason: string } };
const vectors = (JSON.parse(readFileSync(path.resolve(import.meta.dirname, "../../sdk/evaluation-vectors.json"), "utf8")) as { cases: Vector[] }).cases;

describe("OFREP answers, against the published evaluation vectors", () => {
  it.each(vectors.map((vector) => [vector.name, vector] as const))("%s", (_name, vector) => {
    const key = vector.state?.key ?? "unknown_flag";
    const local = evaluate(vector.state ?? undefined, vector.context, vector.fallback ?? false);
    const remote = evaluateForOfrep(key, vector.state ?? undefined, (vector.context ?? {}) as Record<string, unknown>);
    if (vector.state === null) return expect(remote).toMatchObject({ key, errorCode: "FLAG_NOT_FOUND" });
    if (local.reason === "fallback") return expect(remote).toMatchObject({ key, errorCode: "GENERAL" });
    expect(remote).toEqual({ key, value: local.value, reason: OPENFEATURE_REASONS[local.reason], variant: local.value ? "on" : "off", metadata: { version: vector.state.version } });
  });
});

describe("OFREP over HTTP", () => {
  let server: ControlPlaneServer;
  let sdkKey: string;
  let client: RampartClient;
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    const ctx = await testContext();
    keys.rollout = await givenFlag("ofrep_rollout");
    await updateFlagState({ ctx, input: { key: keys.rollout, env: "production", patch: { percentage: 50 } } });
    keys.targeted = await givenFlag("ofrep_targeted");
    await updateFlagState({ ctx, input: { key: keys.targeted, env: "production", patch: { targets: [{ attribute: "tenant_id", values: ["t-42"], value: true }] } } });
    keys.pinned = await givenFlag("ofrep_pinned");
    await updateFlagState({ ctx, input: { key: keys.pinned, env: "production", patch: { percentage: 100, contexts: { batch_processor: false } } } });
    keys.killed = await givenFlag("ofrep_killed");
    await updateFlagState({ ctx, input: { key: keys.killed, env: "production", patch: { percentage: 100 } } });
    await killFlag({ ctx, input: { key: keys.killed, env: "production", reason: "incident" } });
    server = await startControlPlaneServer();
    sdkKey = await givenSdkKey("production");
    client = createClient({ url: server.url, sdkKey });
    expect(await client.ready({ timeoutMs: 5_000 })).toBe(true);
  });
  afterAll(async () => {
    await client?.close();
    await server?.close();
  });

  it("through the OpenFeature OFREP provider from npm, gives the SDK's value and reason for every flag and context", async () => {
    await OpenFeature.setProviderAndWait("ofrep", new OFREPProvider({ baseUrl: server.url, headers: { Authorization: `Bearer ${sdkKey}` } }));
    const remote = OpenFeature.getClient("ofrep");
    const contexts: Record<string, string>[] = [
      ...Array.from({ length: 20 }, (_, i) => ({ targetingKey: `user-${i}` })),
      { targetingKey: "user-7", tenant_id: "t-42" },
      { targetingKey: "job-1", batch_processor: "nightly" },
      {},
    ];
    let compared = 0;
    for (const key of Object.values(keys)) {
      for (const context of contexts) {
        const details = await remote.getBooleanDetails(key, false, context);
        const local = client.evaluate(key, { ...(context.targetingKey ? { user_id: context.targetingKey, key: context.targetingKey } : {}), ...context });
        expect([key, context, details.value, details.reason]).toEqual([key, context, local.value, local.reason === "fallback" ? "ERROR" : OPENFEATURE_REASONS[local.reason]]);
        compared += 1;
      }
    }
    expect(compared).toBe(4 * 23);
    const missing = await remote.getBooleanDetails("ofrep_no_such_flag", true, { targetingKey: "user-1" });
    expect(missing).toMatchObject({ value: true, reason: "ERROR", errorCode: "FLAG_NOT_FOUND" });
    await OpenFeature.clearProviders();
  });

  it("raw: the bulk answer has an ETag and a poll with it gets 304; an unknown key is 404; only SDK keys may call", async () => {
    const context = { targetingKey: "user-3", tenant_id: "t-42" };
    const first = await fetch(`${server.url}/ofrep/v1/evaluate/flags`, { method: "POST", headers: { authorization: `Bearer ${sdkKey}`, "content-type": "application/json" }, body: JSON.stringify({ context }) });
    expect(first.status).toBe(200);
    const body = (await first.json()) as { flags: { key: string; value?: boolean; reason?: string }[] };
    expect(body.flags.find((flag) => flag.key === keys.targeted)).toMatchObject({ value: true, reason: "TARGETING_MATCH" });
    expect(body.flags.find((flag) => flag.key === keys.killed)).toMatchObject({ value: false, reason: "DISABLED" });
    const etag = first.headers.get("etag")!;
    const again = await fetch(`${server.url}/ofrep/v1/evaluate/flags`, { method: "POST", headers: { authorization: `Bearer ${sdkKey}`, "if-none-match": etag }, body: JSON.stringify({ context }) });
    expect(again.status).toBe(304);
    const otherContext = await fetch(`${server.url}/ofrep/v1/evaluate/flags`, { method: "POST", headers: { authorization: `Bearer ${sdkKey}`, "if-none-match": etag }, body: JSON.stringify({ context: { targetingKey: "user-4" } }) });
    expect(otherContext.status).toBe(200);

    const unknown = await callRoute(flagRoute.POST, { method: "POST", path: "/ofrep/v1/evaluate/flags/nope", params: { key: "nope" }, body: { context: {} }, as: sdkKey });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ key: "nope", errorCode: "FLAG_NOT_FOUND" });
    const token = await givenToken("admin");
    expect((await callRoute(bulkRoute.POST, { method: "POST", path: "/ofrep/v1/evaluate/flags", body: {}, as: token.secret })).status).toBe(403);
    expect((await callRoute(bulkRoute.POST, { method: "POST", path: "/ofrep/v1/evaluate/flags", body: {}, as: null })).status).toBe(401);
  });
});
