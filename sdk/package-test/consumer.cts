// Type-checked in a fresh project against the packed types (`require`: dist/*.d.cts).
import { createClient, evaluate, type ClientOptions, type EvaluationReason, type FlagState, type RampartClient } from "@rampart/sdk";
import { RampartProvider } from "@rampart/sdk/openfeature";

const options: ClientOptions = { url: "http://localhost:3000", sdkKey: "rps_example-secret-key", flushIntervalMs: 10_000 };
const rampart: RampartClient = createClient(options);
const on: boolean = rampart.enabled("schema_v2", { user_id: "user-1" });
const total: Promise<number> = rampart.gate("orders_v2_total", { user_id: "user-1" }, { newPath: async () => 1, legacyPath: async () => 2 });
const state: FlagState = { key: "schema_v2", default: false, percentage: 25, rollout: { by: "user_id" }, contexts: {}, killed: false, version: 1 };
const reason: EvaluationReason = evaluate(state, { user_id: "user-1" }).reason;
const provider = new RampartProvider(rampart, { readyTimeoutMs: 2_000 });
// @ts-expect-error a flag key is a string: the types are real, not `any`
rampart.enabled(42);

export { on, total, reason, provider };
