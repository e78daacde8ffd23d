import { describe, expect, it } from "vitest";
import { getDb } from "@/testing/db";
import { givenFlag, testContext } from "@/testing/api";
import { abortGuardedRamp, pauseGuardedRamp, startGuardedRamp } from "./guarded-ramp";
import { RAMP_PRESETS } from "./ramp-plan";
import { readRampSummaries } from "./read-guarded-ramp";

describe("readRampSummaries", () => {
  it("gives the flags list's words for running and paused plans, by flag key, and leaves out aborted ones", async () => {
    const ctx = await testContext("alice");
    const [running, paused, aborted, none] = await Promise.all(["list_running", "list_paused", "list_aborted", "list_none"].map((prefix) => givenFlag(prefix)));
    for (const key of [running, paused, aborted]) await startGuardedRamp({ ctx, input: { key, env: "production", plan: RAMP_PRESETS.demo } });
    await pauseGuardedRamp({ ctx, input: { key: paused, env: "production" } });
    await abortGuardedRamp({ ctx, input: { key: aborted, env: "production" } });

    const summaries = await readRampSummaries(await getDb(), "production");
    expect(summaries[running]).toEqual({ status: "running", summary: "1% → 5% in 1 min" });
    expect(summaries[paused]).toEqual({ status: "paused", summary: "paused by alice" });
    expect(summaries[aborted]).toBeUndefined();
    expect(summaries[none]).toBeUndefined();
  });
});
