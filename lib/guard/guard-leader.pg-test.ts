import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { environments, flags, getConnection, getDb, rampPlans } from "@/testing/db";
import { givenFlag, readStateRow, testContext } from "@/testing/api";
import { givenTraffic } from "@/testing/traffic";
import type { StepDecision } from "./decide-step";
import { GUARD_LEADER_LOCK_ID, startGuardLoop, type GuardLoop } from "./guard-loop";
import { startGuardedRamp } from "./guarded-ramp";
import { RAMP_PRESETS, type RampPlan } from "./ramp-plan";
import { updateRampPlan, type RampPlanRow } from "./ramp-plan-store";

// The ramp guard across instances on one PostgreSQL: one leader through the advisory lock, a
// standby that takes over when the leader dies, and plans that carry on where they were. Other
// test files on this database start plans too, and whichever loop leads checks theirs as well:
// every assertion here is about this file's own flags. Files that spawn a control plane (e.g.
// lib/sdk/two-instances.pg-test.ts) hold the lead while they run, so a loop here may have to wait
// for it: the tests wait for the lead rather than expect it at once.

/** The Demo preset from 25 %: 1-minute holds, 200 requests a path. */
const PLAN: RampPlan = { ...RAMP_PRESETS.demo, steps: [25, 50, 100] };
const INTERVAL_MS = 1_000;

const loops: GuardLoop[] = [];
const children: ChildProcess[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await Promise.all(loops.splice(0).map((loop) => loop.stop()));
});

/** A guard loop as `npm start` runs one, with its own lease (its own pg connection) and its log lines kept. */
async function startLoop(): Promise<{ loop: GuardLoop; lines: string[] }> {
  const lines: string[] = [];
  const connection = await getConnection();
  const loop = startGuardLoop({
    db: connection.db,
    lease: connection.leaderLease(GUARD_LEADER_LOCK_ID),
    intervalMs: INTERVAL_MS,
    log: { log: (line: string) => lines.push(line), error: (...args: unknown[]) => lines.push(args.map(String).join(" ")) },
  });
  loops.push(loop);
  await loop.tick();
  return { loop, lines };
}

async function until<T>(what: string, read: () => T | Promise<T>, timeoutMs = 30_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function planRow(key: string): Promise<RampPlanRow> {
  const db = await getDb();
  const [row] = await db
    .select({ plan: rampPlans })
    .from(rampPlans)
    .innerJoin(flags, eq(flags.id, rampPlans.flagId))
    .innerJoin(environments, eq(environments.id, rampPlans.environmentId))
    .where(and(eq(flags.key, key), eq(environments.key, "production")));
  return row!.plan;
}

async function startPlan(prefix: string): Promise<{ key: string; row: RampPlanRow }> {
  const key = await givenFlag(prefix);
  const { plan: row } = await startGuardedRamp({ ctx: await testContext(), input: { key, env: "production", plan: PLAN } });
  return { key, row };
}

/** Moves the step's start back by `ms` (as if the step had been running that long), then adds healthy windows after it. */
async function givenElapsedStepWithGoodEvidence(key: string, ms: number): Promise<Date> {
  const stepStartedAt = new Date(Date.now() - ms);
  // The leader saves each check on the plan (a new version): retry when one lands in between.
  await until("the step start is moved", async () => {
    const row = await planRow(key);
    return updateRampPlan(await getDb(), row, row.version, { stepStartedAt });
  });
  // Five 10-second windows, each beginning after the (moved) step start: 1,000 requests a path each, no errors, similar latency.
  const first = Math.ceil(stepStartedAt.getTime() / 10_000) * 10_000;
  for (let w = 1; w <= 5; w++) {
    const at = new Date(first + w * 10_000);
    await givenTraffic(key, { path: "new", requests: 1_000, at, latencyMs: (i) => 5 + (i % 20) });
    await givenTraffic(key, { path: "legacy", requests: 1_000, at, latencyMs: (i) => 5 + (i % 20) });
  }
  return stepStartedAt;
}

/** The control plane in a child process, running the guard every second; resolves once it listens. */
async function startChildControlPlane(): Promise<{ child: ChildProcess; output: string[] }> {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/control-plane.mts"], {
    env: { ...process.env, RAMPART_GUARD_INTERVAL_MS: String(INTERVAL_MS) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  const output: string[] = [];
  createInterface({ input: child.stdout! }).on("line", (line) => output.push(line));
  await until("the child control plane listens", () => {
    if (child.exitCode !== null) throw new Error(`the child control plane exited with ${child.exitCode}`);
    return output.some((line) => line.startsWith("listening "));
  }, 60_000);
  return { child, output };
}

const LEADS = "[rampart] guard: this instance now leads the ramp guard";

describe("the ramp guard's leader on PostgreSQL", () => {
  it("two guard loops on one database: exactly one leads, and the other takes over when it stops", async () => {
    const first = await startLoop();
    const second = await startLoop();
    await until("one of the two loops leads", () => first.loop.leading() || second.loop.leading());
    expect([first.loop.leading(), second.loop.leading()].filter(Boolean)).toHaveLength(1);
    const [leader, standby] = first.loop.leading() ? [first, second] : [second, first];
    expect(leader.lines).toContain(LEADS);
    expect(standby.lines).not.toContain(LEADS);

    // Another tick changes nothing: the leader keeps its lock, the standby still cannot take it.
    await Promise.all([leader.loop.tick(), standby.loop.tick()]);
    expect([leader.loop.leading(), standby.loop.leading()]).toEqual([true, false]);

    await leader.loop.stop();
    await standby.loop.tick();
    await until("the standby leads", () => standby.loop.leading());
    expect(standby.lines).toContain(LEADS);
  });

  it("a leader killed with SIGKILL: the standby takes the lead and the running plan carries on", async () => {
    const { child, output } = await startChildControlPlane();
    await until("the child leads the guard", () => output.includes(LEADS));
    const standby = await startLoop();
    expect(standby.loop.leading()).toBe(false);

    // A plan the child checks while it leads.
    const { key, row } = await startPlan("guard_takeover");
    const checked = await until("the child checks the plan", async () => {
      const current = await planRow(key);
      return current.lastCheckAt ? current : null;
    });
    expect(checked.status).toBe("running");
    expect((checked.lastCheck as StepDecision).action).toBe("hold");
    expect(standby.loop.leading()).toBe(false); // so the child made that check

    const killedAt = Date.now();
    child.kill("SIGKILL");
    await until("the standby takes the lead", () => standby.loop.leading());
    const takeoverMs = Date.now() - killedAt;
    console.log(`guard leader takeover after SIGKILL: ${takeoverMs} ms (guard interval ${INTERVAL_MS} ms)`);
    expect(standby.lines).toContain(LEADS);

    // The step's hold has elapsed with good evidence: the new leader moves the plan on, as the guard.
    const stepStartedAt = await givenElapsedStepWithGoodEvidence(key, 70_000);
    const advanced = await until("the new leader advances the plan", async () => {
      const current = await planRow(key);
      return current.step === 1 ? current : null;
    });
    expect(advanced).toMatchObject({ status: "running", step: 1, updatedBy: "guard" });
    expect((advanced.lastCheck as StepDecision).action).toBe("advance");
    expect((advanced.lastCheck as StepDecision).evidence.elapsedMs).toBeGreaterThanOrEqual(70_000);
    expect(advanced.startedAt.getTime()).toBe(row.startedAt.getTime());
    expect(advanced.stepStartedAt.getTime()).toBeGreaterThan(stepStartedAt.getTime());
    expect((await readStateRow(key))!.percentageBp).toBe(5_000);
    expect(standby.lines.some((line) => line.startsWith(`[rampart] guard: ${key} in production: advance: Guard: every guardrail passed at 25%`))).toBe(true);
  }, 120_000);

  it("a restart in the middle of a hold: the new loop carries on the hold from when the step started", async () => {
    const before = await startLoop();
    await until("the first loop leads", () => before.loop.leading());
    const { key, row } = await startPlan("guard_restart");
    await before.loop.tick();
    const firstCheck = (await planRow(key)).lastCheck as StepDecision;
    expect(firstCheck.action).toBe("hold");
    await before.loop.stop();

    // Some time later a new instance starts, and the hold goes on from the step's start.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const after = await startLoop();
    await until("the new loop leads", () => after.loop.leading());
    await after.loop.tick();
    const current = await planRow(key);
    const secondCheck = current.lastCheck as StepDecision;
    expect(current.stepStartedAt.getTime()).toBe(row.stepStartedAt.getTime());
    expect(current.step).toBe(0);
    expect(secondCheck.action).toBe("hold");
    expect(secondCheck.evidence.elapsedMs).toBeGreaterThanOrEqual(firstCheck.evidence.elapsedMs + 1_500);
    // Measured from the step's start, not from the new loop's start.
    expect(secondCheck.evidence.elapsedMs).toBe(current.lastCheckAt!.getTime() - row.stepStartedAt.getTime());
  });
});
