import {
  ErrorCode,
  OpenFeature,
  ProviderEvents,
  ProviderStatus,
  StandardResolutionReasons,
  type EventDetails,
} from "@openfeature/server-sdk";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createClient, type ClientOptions } from "./client";
import { bucketOf } from "./evaluator";
import type { FlagState } from "./flag-state";
import { RampartProvider } from "./openfeature";
import { SDK_METRICS_PATH, SDK_SNAPSHOT_PATH, type FlagSnapshot } from "./protocol";

function flagState(overrides: Partial<FlagState> & { key: string }): FlagState {
  return { default: false, percentage: 50, rollout: { by: "user_id" }, contexts: {}, killed: false, version: 3, ...overrides };
}

const FLAGS: FlagState[] = [
  flagState({ key: "schema_v2", default: true, contexts: { batch_processor: false } }),
  flagState({ key: "everyone", percentage: 100 }),
  flagState({ key: "nobody", percentage: 0, targets: [{ attribute: "tenant_id", values: ["t-42"], value: true }] }),
  flagState({ key: "kill_me", percentage: 100, default: true, killed: true, version: 7 }),
  flagState({ key: "broken", percentage: 150 }),
];
const SNAPSHOT: FlagSnapshot = { environment: "test", cursor: 1, flags: FLAGS };

// Users on either side of schema_v2's 50% line, so a hit proves which attribute was bucketed.
const users = Array.from({ length: 100 }, (_, i) => `user-${i}`);
const userOn = users.find((id) => bucketOf("schema_v2", id) < 5_000)!;
const userOff = users.find((id) => bucketOf("schema_v2", id) >= 5_000)!;

const servers: Server[] = [];

/**
 * A control plane on loopback: serves `snapshot` (once `release()` is called, if `held`) and
 * an event stream the test writes into with `push`.
 */
async function fakeControlPlane(snapshot: FlagSnapshot, { held = false } = {}) {
  const streams = new Set<ServerResponse>();
  let release!: () => void;
  const released = held ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve();
  const server = createServer(async (request, response) => {
    if (request.url === SDK_SNAPSHOT_PATH) {
      await released;
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(snapshot));
      return;
    }
    if (request.url === SDK_METRICS_PATH) {
      response.writeHead(201, { "content-type": "application/json" }).end("{}");
      return;
    }
    response.writeHead(200, { "content-type": "text/event-stream" });
    response.flushHeaders();
    streams.add(response);
    request.on("close", () => streams.delete(response));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    release: () => release(),
    async push(event: string): Promise<void> {
      await vi.waitFor(() => expect(streams.size).toBeGreaterThan(0));
      for (const stream of streams) stream.write(event);
    },
  };
}

/** A control plane that accepts connections and never answers. */
const silentControlPlane = () => fakeControlPlane(SNAPSHOT, { held: true });

const options = (url: string, extra: Partial<ClientOptions> = {}): ClientOptions => ({
  url,
  sdkKey: "x",
  backoff: { minMs: 10_000, maxMs: 10_000 },
  ...extra,
});

afterEach(async () => {
  await OpenFeature.clearProviders();
  OpenFeature.clearHandlers();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe("RampartProvider through the OpenFeature SDK", () => {
  async function ready() {
    const controlPlane = await fakeControlPlane(SNAPSHOT);
    const provider = new RampartProvider(options(controlPlane.url));
    await OpenFeature.setProviderAndWait(provider);
    return { controlPlane, provider, flags: OpenFeature.getClient() };
  }

  it("becomes READY once the control plane answers", async () => {
    const { flags, provider } = await ready();
    expect(flags.providerStatus).toBe(ProviderStatus.READY);
    expect(provider.client.status()).toMatchObject({ source: "control-plane", flags: FLAGS.length });
  });

  it("buckets on the targetingKey when the rollout attribute is absent", async () => {
    const { flags } = await ready();
    expect(await flags.getBooleanDetails("schema_v2", false, { targetingKey: userOn })).toEqual({
      flagKey: "schema_v2",
      value: true,
      reason: StandardResolutionReasons.SPLIT,
      variant: "on",
      flagMetadata: { version: 3 },
    });
    expect(await flags.getBooleanDetails("schema_v2", true, { targetingKey: userOff })).toMatchObject({
      value: false,
      reason: StandardResolutionReasons.SPLIT,
      variant: "off",
    });
  });

  it("buckets on the rollout attribute when the caller passes it", async () => {
    const { flags } = await ready();
    const details = await flags.getBooleanDetails("schema_v2", false, { targetingKey: userOn, user_id: userOff });
    expect(details).toMatchObject({ value: false, reason: StandardResolutionReasons.SPLIT });
  });

  it("answers SPLIT at 100% and 0%", async () => {
    const { flags } = await ready();
    expect(await flags.getBooleanDetails("everyone", false, { targetingKey: "u1" })).toMatchObject({
      value: true,
      reason: StandardResolutionReasons.SPLIT,
      variant: "on",
    });
    expect(await flags.getBooleanDetails("nobody", true, { targetingKey: "u1" })).toMatchObject({
      value: false,
      reason: StandardResolutionReasons.SPLIT,
      variant: "off",
    });
  });

  it("answers TARGETING_MATCH for a targeted tenant, whatever its bucket", async () => {
    const { flags } = await ready();
    expect(await flags.getBooleanDetails("nobody", false, { targetingKey: "u1", tenant_id: "t-42" })).toEqual({
      flagKey: "nobody",
      value: true,
      reason: StandardResolutionReasons.TARGETING_MATCH,
      variant: "on",
      flagMetadata: { version: 3 },
    });
    expect(await flags.getBooleanDetails("nobody", true, { targetingKey: "u1", tenant_id: "t-7" })).toMatchObject({
      value: false,
      reason: StandardResolutionReasons.SPLIT,
    });
  });

  it("answers STATIC for a pinned context kind", async () => {
    const { flags } = await ready();
    const details = await flags.getBooleanDetails("schema_v2", true, { targetingKey: userOn, kind: "batch_processor" });
    expect(details).toMatchObject({ value: false, reason: StandardResolutionReasons.STATIC, variant: "off" });
    expect(details.errorCode).toBeUndefined();
  });

  it("answers DISABLED, false for a killed flag", async () => {
    const { flags } = await ready();
    expect(await flags.getBooleanDetails("kill_me", true, { targetingKey: "u1" })).toEqual({
      flagKey: "kill_me",
      value: false,
      reason: StandardResolutionReasons.DISABLED,
      variant: "off",
      flagMetadata: { version: 7 },
    });
  });

  it("answers DEFAULT with the flag's default when there is nothing to bucket on", async () => {
    const { flags } = await ready();
    expect(await flags.getBooleanDetails("schema_v2", false, {})).toMatchObject({
      value: true,
      reason: StandardResolutionReasons.DEFAULT,
      variant: "on",
    });
  });

  it("answers ERROR, FLAG_NOT_FOUND with the default value for an unknown flag", async () => {
    const { flags } = await ready();
    const details = await flags.getBooleanDetails("no_such_flag", true, { targetingKey: "u1" });
    expect(details).toMatchObject({ value: true, reason: StandardResolutionReasons.ERROR, errorCode: ErrorCode.FLAG_NOT_FOUND });
    expect(details.variant).toBeUndefined();
  });

  it("answers ERROR, GENERAL with the default value for a malformed flag state", async () => {
    const { flags } = await ready();
    expect(await flags.getBooleanDetails("broken", true, { targetingKey: "u1" })).toMatchObject({
      value: true,
      reason: StandardResolutionReasons.ERROR,
      errorCode: ErrorCode.GENERAL,
    });
  });

  it("answers TYPE_MISMATCH with the default value for non-boolean lookups of a Rampart flag", async () => {
    const { flags } = await ready();
    const mismatch = { reason: StandardResolutionReasons.ERROR, errorCode: ErrorCode.TYPE_MISMATCH };
    expect(await flags.getStringDetails("schema_v2", "blue", { targetingKey: "u1" })).toMatchObject({ value: "blue", ...mismatch });
    expect(await flags.getNumberDetails("schema_v2", 4, { targetingKey: "u1" })).toMatchObject({ value: 4, ...mismatch });
    expect(await flags.getObjectDetails("schema_v2", { a: 1 }, { targetingKey: "u1" })).toMatchObject({ value: { a: 1 }, ...mismatch });
    // An unknown key is not a type mismatch: a MultiProvider should move on to its next provider.
    expect(await flags.getStringDetails("colour", "blue")).toMatchObject({ value: "blue", errorCode: ErrorCode.FLAG_NOT_FOUND });
  });

  it("emits ConfigurationChanged with the flag's key when a change arrives on the stream", async () => {
    const { flags, controlPlane } = await ready();
    const changed = new Promise<EventDetails | undefined>((resolve) => flags.addHandler(ProviderEvents.ConfigurationChanged, resolve));
    const next = flagState({ key: "schema_v2", percentage: 0, version: 4 });
    await controlPlane.push(`id: 2\nevent: flag\ndata: ${JSON.stringify(next)}\n\n`);
    expect((await changed)?.flagsChanged).toEqual(["schema_v2"]);
    expect(await flags.getBooleanDetails("schema_v2", true, { targetingKey: userOn })).toMatchObject({
      value: false,
      reason: StandardResolutionReasons.SPLIT,
      flagMetadata: { version: 4 },
    });
  });
});

describe("RampartProvider initialization", () => {
  it("fails when nothing loads in time: status ERROR, evaluations answer PROVIDER_NOT_READY", async () => {
    const provider = new RampartProvider(options((await silentControlPlane()).url), { readyTimeoutMs: 50 });
    await expect(OpenFeature.setProviderAndWait(provider)).rejects.toMatchObject({ code: ErrorCode.PROVIDER_NOT_READY });
    const flags = OpenFeature.getClient();
    // ERROR (unlike NOT_READY or FATAL) does not short-circuit: the provider still answers.
    expect(flags.providerStatus).toBe(ProviderStatus.ERROR);
    expect(await flags.getBooleanDetails("schema_v2", true, { targetingKey: "u1" })).toMatchObject({
      value: true,
      reason: StandardResolutionReasons.ERROR,
      errorCode: ErrorCode.PROVIDER_NOT_READY,
    });
  });

  it("becomes READY when the control plane answers after initialization gave up", async () => {
    const controlPlane = await fakeControlPlane(SNAPSHOT, { held: true });
    const provider = new RampartProvider(options(controlPlane.url), { readyTimeoutMs: 50 });
    await expect(OpenFeature.setProviderAndWait(provider)).rejects.toThrow();
    const flags = OpenFeature.getClient();
    const readyEvent = new Promise<void>((resolve) => flags.addHandler(ProviderEvents.Ready, () => resolve()));
    controlPlane.release();
    await readyEvent;
    expect(flags.providerStatus).toBe(ProviderStatus.READY);
    expect(await flags.getBooleanValue("everyone", false, { targetingKey: "u1" })).toBe(true);
  });

  it("fails on bootstrap state alone by default, succeeds with requireControlPlane: false", async () => {
    const bootstrap = { ...SNAPSHOT, environment: "test" };
    const strict = new RampartProvider(options((await silentControlPlane()).url, { bootstrap }), { readyTimeoutMs: 20 });
    await expect(OpenFeature.setProviderAndWait(strict)).rejects.toThrow();
    // Bootstrap state is still served while the status says ERROR.
    expect(await OpenFeature.getClient().getBooleanValue("everyone", false, { targetingKey: "u1" })).toBe(true);

    const lenient = new RampartProvider(options((await silentControlPlane()).url, { bootstrap }), { readyTimeoutMs: 20, requireControlPlane: false });
    await OpenFeature.setProviderAndWait(lenient);
    expect(OpenFeature.getClient().providerStatus).toBe(ProviderStatus.READY);
  });
});

describe("RampartProvider.onClose", () => {
  it("closes a client it created, and leaves a caller's client open", async () => {
    const owned = new RampartProvider(options((await fakeControlPlane(SNAPSHOT)).url));
    const ownedClose = vi.spyOn(owned.client, "close");
    await OpenFeature.setProviderAndWait(owned);

    const client = createClient(options((await fakeControlPlane(SNAPSHOT)).url));
    const borrowed = new RampartProvider(client);
    const borrowedClose = vi.spyOn(client, "close");
    await OpenFeature.setProviderAndWait(borrowed); // replaces (and so closes) `owned`
    expect(ownedClose).toHaveBeenCalledOnce();

    await OpenFeature.clearProviders();
    expect(borrowedClose).not.toHaveBeenCalled();
    expect(borrowed.client).toBe(client);
    await client.close();
  });
});
