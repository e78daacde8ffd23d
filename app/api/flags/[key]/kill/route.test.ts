import { describe, expect, it } from "vitest";
import type { FlagStateResult } from "@/lib/flags/change-flag-state";
import { callRoute, countAuditEvents, givenFlag, readStateRow } from "@/testing/api";
import { PATCH } from "../route";
import { POST as restore } from "../restore/route";
import { POST as kill } from "./route";

function killSwitch(handler: typeof kill, key: string, body?: unknown) {
  return callRoute<FlagStateResult>(handler, { method: "POST", path: `/api/flags/${key}/x`, params: { key }, body });
}

describe("kill switch", () => {
  it("kills to 0% remembering the percentage, and restore brings exactly that back", async () => {
    const key = await givenFlag("kill_round_trip");
    await callRoute(PATCH, {
      method: "PATCH",
      path: `/api/flags/${key}`,
      params: { key },
      body: { percentage: 37.5, contexts: { batch_processor: true } },
    });

    const killed = await killSwitch(kill, key, { reason: "p99 doubled on the new path" });
    expect(killed.status).toBe(200);
    expect(killed.body.state).toMatchObject({ killed: true, percentage: 0, percentageBeforeKill: 37.5, version: 3 });
    expect(killed.body.state.contexts).toEqual({ batch_processor: true });

    const restored = await killSwitch(restore, key);
    expect(restored.status).toBe(200);
    expect(restored.body.state).toMatchObject({ killed: false, percentage: 37.5, percentageBeforeKill: null, version: 4 });
    expect(await readStateRow(key)).toMatchObject({ killed: false, percentageBp: 3750, percentageBeforeKillBp: null });
  });

  it("is idempotent: a second kill or restore changes nothing and writes no event", async () => {
    const key = await givenFlag("kill_twice");
    await callRoute(PATCH, { method: "PATCH", path: `/api/flags/${key}`, params: { key }, body: { percentage: 25 } });

    await killSwitch(kill, key);
    const again = await killSwitch(kill, key);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ changed: false, state: { killed: true, percentageBeforeKill: 25, version: 3 } });

    await killSwitch(restore, key);
    const restoredAgain = await killSwitch(restore, key);
    expect(restoredAgain.body).toMatchObject({ changed: false, state: { killed: false, percentage: 25, version: 4 } });
    expect(await countAuditEvents(key)).toBe(4); // created, patched, killed, restored
  });

  it("kills only the named environment", async () => {
    const key = await givenFlag("kill_staging");
    const response = await callRoute<FlagStateResult>(kill, {
      method: "POST",
      path: `/api/flags/${key}/kill?env=staging`,
      params: { key },
    });

    expect(response.body.environment).toBe("staging");
    expect((await readStateRow(key, "staging"))?.killed).toBe(true);
    expect((await readStateRow(key, "production"))?.killed).toBe(false);
  });

  it("refuses an unknown body field with 400 and leaves the flag live", async () => {
    const key = await givenFlag("kill_bad_body");
    const response = await killSwitch(kill, key, { reason: "x", force: true });

    expect(response.status).toBe(400);
    expect(response.body.error?.details).toEqual([{ path: "force", message: "is not a known field" }]);
    expect((await readStateRow(key))?.killed).toBe(false);
    expect(await countAuditEvents(key)).toBe(1);
  });
});
