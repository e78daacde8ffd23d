import { and, desc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, flags, getDb, rampPlans } from "@/testing/db";
import * as flagRoute from "@/app/api/flags/[key]/route";
import * as killRoute from "@/app/api/flags/[key]/kill/route";
import * as planRoute from "@/app/api/flags/[key]/ramp-plan/route";
import * as startRoute from "@/app/api/flags/[key]/ramp-plan/start/route";
import * as pauseRoute from "@/app/api/flags/[key]/ramp-plan/pause/route";
import * as resumeRoute from "@/app/api/flags/[key]/ramp-plan/resume/route";
import * as abortRoute from "@/app/api/flags/[key]/ramp-plan/abort/route";
import { callRoute, givenFlag, givenToken, readStateRow } from "@/testing/api";
import { givenTraffic } from "@/testing/traffic";
import { runGuardChecks } from "@/lib/guard/guard-controller";
import type { RampPlanView } from "@/lib/guard/ramp-plan-view";

type PlanBody = { rampPlan: RampPlanView | null; flagVersion?: number | null };

async function start(key: string, body: unknown = { preset: "demo" }, as?: string) {
  return callRoute<PlanBody>(startRoute.POST, { method: "POST", path: `/api/flags/${key}/ramp-plan/start?env=production`, params: { key }, body, as });
}

async function planOf(key: string): Promise<RampPlanView | null> {
  return (await callRoute<PlanBody>(planRoute.GET, { path: `/api/flags/${key}/ramp-plan?env=production`, params: { key } })).body.rampPlan;
}

async function auditOf(key: string) {
  const db = await getDb();
  return db
    .select({ action: auditEvents.action, actor: auditEvents.actor, source: auditEvents.source, reason: auditEvents.reason, after: auditEvents.after })
    .from(auditEvents)
    .innerJoin(flags, eq(flags.id, auditEvents.flagId))
    .where(eq(flags.key, key))
    .orderBy(desc(auditEvents.id));
}

async function planRows(key: string) {
  const db = await getDb();
  return db.select({ status: rampPlans.status }).from(rampPlans).innerJoin(flags, eq(flags.id, rampPlans.flagId)).where(and(eq(flags.key, key)));
}

/** Healthy traffic on both paths in windows that begin after the step started; `errors` per path. */
async function givenStepTraffic(key: string, stepStartedAt: string, { newErrors = 0, legacyErrors = 0, windows = 3, perWindow = 2_000 } = {}) {
  const started = Date.parse(stepStartedAt);
  for (let w = 1; w <= windows; w++) {
    const at = new Date(Math.ceil(started / 10_000) * 10_000 + w * 10_000 + 10_000);
    await givenTraffic(key, { path: "new", requests: perWindow, errors: newErrors, at });
    await givenTraffic(key, { path: "legacy", requests: perWindow, errors: legacyErrors, at });
  }
}

const afterHold = (plan: RampPlanView, extraMs = 1_000) => new Date(Date.parse(plan.holdEndsAt) + 60_000 + extraMs);

describe("starting a guarded ramp", () => {
  it("starts at the first step, moves the flag there and audits both", async () => {
    const key = await givenFlag("guard_start");
    const response = await start(key);
    expect(response.status).toBe(201);
    expect(response.body.rampPlan).toMatchObject({ status: "running", step: 0, percentage: 1, nextPercentage: 5 });
    expect(response.body.rampPlan!.plan.holdMinutes).toBe(1);
    const state = (await readStateRow(key))!;
    expect(state.percentageBp).toBe(100);
    expect(response.body.flagVersion).toBe(state.version);
    const actions = (await auditOf(key)).map((event) => event.action);
    expect(actions.slice(0, 2)).toEqual(["ramp.started", "flag.state_updated"]);
    expect((await planOf(key))!.summary).toMatch(/^1% → 5% in 1 min$/);
  });

  it("starts from the highest step at or below where the flag is, never above it", async () => {
    const key = await givenFlag("guard_start_mid");
    await callRoute(flagRoute.PATCH, { method: "PATCH", path: `/api/flags/${key}?env=production`, params: { key }, body: { percentage: 30 } });
    const response = await start(key, { preset: "standard" });
    expect(response.body.rampPlan).toMatchObject({ step: 2, percentage: 25, nextPercentage: 50 });
    expect((await readStateRow(key))!.percentageBp).toBe(2_500);
  });

  it("answers no flag version when the flag is already at the step: the start changed nothing", async () => {
    const key = await givenFlag("guard_start_at_step");
    await callRoute(flagRoute.PATCH, { method: "PATCH", path: `/api/flags/${key}?env=production`, params: { key }, body: { percentage: 25 } });
    const before = (await readStateRow(key))!.version;
    const response = await start(key, { preset: "standard" });
    expect(response.body.rampPlan).toMatchObject({ percentage: 25 });
    expect(response.body.flagVersion).toBeNull();
    expect((await readStateRow(key))!.version).toBe(before);
  });

  it("refuses bad plans naming the field, and writes nothing", async () => {
    const key = await givenFlag("guard_bad_plan");
    const cases: [unknown, string][] = [
      [{ preset: "demo", plan: {} }, "preset"],
      [{ preset: "reckless" }, "preset"],
      [{ plan: { steps: [5, 1, 100] } }, "plan.steps"],
      [{ plan: { steps: [1, 50] } }, "plan.steps"],
      [{ plan: { holdMinutes: 0.5 } }, "plan.holdMinutes"],
      [{ plan: { minSamplesPerPath: 1e308 } }, "plan.minSamplesPerPath"],
      [{ plan: { guardrails: { p99MaxSlowerPct: -1 } } }, "plan.guardrails.p99MaxSlowerPct"],
      [{ plan: { steps: [1, 100], extra: true } }, "plan.extra"],
      [{ plan: { steps: [0.001, 100] } }, "plan.steps.0"],
      [{ plan: { steps: Array.from({ length: 21 }, (_, i) => (i + 1) * 4.5 + 5.5) } }, "plan.steps"],
      [{ plan: { holdMinutes: 1e9 } }, "plan.holdMinutes"],
      [{ preset: "demo", reason: "ramp\u0000now" }, "reason"],
    ];
    for (const [body, field] of cases) {
      const response = await start(key, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.error!.details.map((detail) => detail.path)).toContain(field);
    }
    expect(await planRows(key)).toEqual([]);
    expect((await readStateRow(key))!.percentageBp).toBe(0);
  });

  it("refuses a second plan, a killed flag and a flag already at 100%", async () => {
    const key = await givenFlag("guard_twice");
    expect((await start(key)).status).toBe(201);
    const again = await start(key);
    expect(again.status).toBe(409);
    expect(again.body.error!.code).toBe("ramp_in_progress");

    const killed = await givenFlag("guard_killed");
    await callRoute(killRoute.POST, { method: "POST", path: `/api/flags/${killed}/kill?env=production`, params: { key: killed }, body: {} });
    expect((await start(killed)).body.error!.code).toBe("flag_killed");

    const full = await givenFlag("guard_full");
    await callRoute(flagRoute.PATCH, { method: "PATCH", path: `/api/flags/${full}?env=production`, params: { key: full }, body: { percentage: 100 } });
    expect((await start(full)).body.error!.code).toBe("already_ramped");
  });

  it("is for operators, and in a token's own environment only", async () => {
    const key = await givenFlag("guard_roles");
    const viewer = await givenToken("viewer");
    expect((await start(key, { preset: "demo" }, viewer.secret)).status).toBe(403);
    const staging = await givenToken("operator", "staging");
    const refused = await start(key, { preset: "demo" }, staging.secret);
    expect(refused.status).toBe(403);
    expect(refused.body.error!.details[0]!.path).toBe("env");
    const duplicated = await callRoute(startRoute.POST, {
      method: "POST",
      path: `/api/flags/${key}/ramp-plan/start?env=staging&env=production`,
      params: { key },
      body: { preset: "demo" },
      as: staging.secret,
    });
    expect(duplicated.status).toBe(400);
    expect(await planRows(key)).toEqual([]);
  });
});

describe("many starts at once", () => {
  it("twenty concurrent starts on one flag: one plan, one start in the audit, nineteen 409s", async () => {
    const key = await givenFlag("guard_stampede");
    const responses = await Promise.all(Array.from({ length: 20 }, () => start(key)));
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(19);
    expect(await planRows(key)).toEqual([{ status: "running" }]);
    const actions = (await auditOf(key)).map((event) => event.action);
    expect(actions.filter((action) => action === "ramp.started")).toHaveLength(1);
    expect(actions.filter((action) => action === "flag.state_updated")).toHaveLength(1);
  });
});

describe("pause, resume and abort", () => {
  it("moves through the statuses, each audited, and refuses the ones that make no sense", async () => {
    const key = await givenFlag("guard_lifecycle");
    await start(key);
    const call = (route: { POST: typeof pauseRoute.POST }, verb: string, body: unknown = { reason: "checking a dashboard" }) =>
      callRoute<PlanBody>(route.POST, { method: "POST", path: `/api/flags/${key}/ramp-plan/${verb}?env=production`, params: { key }, body });

    expect((await call(resumeRoute, "resume")).body.error!.code).toBe("ramp_plan_status");
    const paused = await call(pauseRoute, "pause");
    expect(paused.body.rampPlan).toMatchObject({ status: "paused", statusReason: expect.stringMatching(/^Paused by token:test-admin-.*: checking a dashboard$/) });
    expect((await call(pauseRoute, "pause")).status).toBe(409);

    // While paused a person moves the flag; resume picks up from there, with a fresh hold.
    await callRoute(flagRoute.PATCH, { method: "PATCH", path: `/api/flags/${key}?env=production`, params: { key }, body: { percentage: 7 } });
    const resumed = await call(resumeRoute, "resume");
    expect(resumed.body.rampPlan).toMatchObject({ status: "running", step: 1, percentage: 5 });
    expect((await readStateRow(key))!.percentageBp).toBe(500);

    const aborted = await call(abortRoute, "abort", {});
    expect(aborted.body.rampPlan).toMatchObject({ status: "aborted" });
    expect((await readStateRow(key))!.percentageBp).toBe(500);
    expect((await call(abortRoute, "abort")).status).toBe(409);
    expect((await start(key)).status).toBe(201);

    const actions = (await auditOf(key)).map((event) => event.action).filter((action) => action.startsWith("ramp."));
    expect(actions).toEqual(["ramp.started", "ramp.aborted", "ramp.resumed", "ramp.paused", "ramp.started"]);
  });

  it("answers 404 naming the key for a flag without a plan", async () => {
    const key = await givenFlag("guard_none");
    const response = await callRoute(pauseRoute.POST, { method: "POST", path: `/api/flags/${key}/ramp-plan/pause?env=production`, params: { key }, body: {} });
    expect(response.status).toBe(404);
    expect(response.body.error!.details[0]!.path).toBe("key");
    expect(await planOf(key)).toBeNull();
  });
});

describe("people outrank the guard", () => {
  it("a person's percentage change or kill pauses the running plan, saying who and why", async () => {
    const key = await givenFlag("guard_person");
    await start(key);
    await callRoute(flagRoute.PATCH, { method: "PATCH", path: `/api/flags/${key}?env=production`, params: { key }, body: { percentage: 3 } });
    const plan = (await planOf(key))!;
    expect(plan.status).toBe("paused");
    expect(plan.statusReason).toMatch(/^Paused: token:test-admin-\S+ moved it to 3% by hand/);
    expect(plan.summary).toMatch(/^paused by token:test-admin-/);
    const [paused] = await auditOf(key);
    expect(paused).toMatchObject({ action: "ramp.paused", source: "api" });
  });

  it("editing test tenants leaves the plan running", async () => {
    const key = await givenFlag("guard_tenants");
    await start(key);
    await callRoute(flagRoute.PATCH, {
      method: "PATCH",
      path: `/api/flags/${key}?env=production`,
      params: { key },
      body: { targets: [{ attribute: "tenant_id", value: true, values: ["acme-test"] }] },
    });
    expect((await planOf(key))!.status).toBe("running");
  });
});

describe("the controller", () => {
  it("advances a healthy step once its hold has passed, as the guard, with the evidence", async () => {
    const key = await givenFlag("guard_advance");
    const plan = (await start(key)).body.rampPlan!;
    await givenStepTraffic(key, plan.stepStartedAt);

    // Before the hold ends it only holds, however good the evidence.
    const early = (await runGuardChecks(await getDb(), new Date(Date.parse(plan.stepStartedAt) + 50_000))).find((o) => o.flag === key)!;
    expect(early.action).toBe("hold");
    expect((await readStateRow(key))!.percentageBp).toBe(100);

    const outcome = (await runGuardChecks(await getDb(), afterHold(plan))).find((o) => o.flag === key)!;
    expect(outcome).toMatchObject({ action: "advance" });
    expect((await readStateRow(key))!.percentageBp).toBe(500);
    const after = (await planOf(key))!;
    expect(after).toMatchObject({ status: "running", step: 1, percentage: 5 });

    const [advanced, change] = await auditOf(key);
    expect(advanced).toMatchObject({ action: "ramp.advanced", actor: "guard", source: "controller" });
    const evidence = (advanced!.after as { evidence: { checks: { guardrail: string; verdict: string; samples: { new: number } }[] } }).evidence;
    expect(evidence.checks.map((check) => [check.guardrail, check.verdict])).toEqual([["errorRate", "pass"], ["p99", "pass"]]);
    expect(evidence.checks[0]!.samples.new).toBe(6_000);
    expect(change).toMatchObject({ action: "flag.state_updated", actor: "guard", source: "controller" });
    expect(change!.reason).toMatch(/^Guard: every guardrail passed at 1% after/);
  });

  it("kills a step whose new path fails more, at once, with the reason in plain words", async () => {
    const key = await givenFlag("guard_rollback");
    const plan = (await start(key)).body.rampPlan!;
    await givenStepTraffic(key, plan.stepStartedAt, { newErrors: 80, legacyErrors: 8 });
    // Well inside the hold: a regression does not wait for it to end.
    const outcome = (await runGuardChecks(await getDb(), new Date(Date.parse(plan.stepStartedAt) + 45_000))).find((o) => o.flag === key)!;
    expect(outcome.action).toBe("rollback");
    const state = (await readStateRow(key))!;
    expect(state).toMatchObject({ killed: true, percentageBp: 0, percentageBeforeKillBp: 100 });
    expect((await planOf(key))!).toMatchObject({ status: "rolled_back", summary: "killed by the guard at 1%" });
    const [rolledBack, kill] = await auditOf(key);
    expect(rolledBack).toMatchObject({ action: "ramp.rolled_back", actor: "guard", source: "controller" });
    expect(kill).toMatchObject({ action: "flag.killed", actor: "guard", source: "controller" });
    expect(kill!.reason).toMatch(/^Guard: new-path error rate 4\.0% vs legacy 0\.40% \(≥ \+\d\.\d+ pp at 95% confidence, \+0\.50 pp allowed\) at 1%$/);
  });

  it("never passes without data: extends the hold, then pauses at three holds and says why", async () => {
    const key = await givenFlag("guard_no_data");
    const plan = (await start(key)).body.rampPlan!;
    const startedAt = Date.parse(plan.stepStartedAt);
    const extended = (await runGuardChecks(await getDb(), new Date(startedAt + 90_000))).find((o) => o.flag === key)!;
    expect(extended.action).toBe("hold");
    expect(extended.reason).toMatch(/^Hold extended at 1%/);
    expect((await planOf(key))!.lastCheck).toMatchObject({ action: "hold", reason: extended.reason });

    const paused = (await runGuardChecks(await getDb(), new Date(startedAt + 3 * 60_000 + 1_000))).find((o) => o.flag === key)!;
    expect(paused.action).toBe("pause");
    const view = (await planOf(key))!;
    expect(view).toMatchObject({ status: "paused", summary: "paused: not enough traffic" });
    expect(view.statusReason).toMatch(/^Guard paused the ramp at 1%: after 3 min 1 s \(3× the hold\) there is still not enough evidence: error rate still collecting: 200 more new-path/);
    expect((await readStateRow(key))!.percentageBp).toBe(100);
  });

  it("completes at the last step, and the teardown hold starts as it would for a person", async () => {
    const key = await givenFlag("guard_complete");
    const plan = (await start(key, { plan: { steps: [50, 100], holdMinutes: 1, minSamplesPerPath: 200 } })).body.rampPlan!;
    await givenStepTraffic(key, plan.stepStartedAt);
    const outcome = (await runGuardChecks(await getDb(), afterHold(plan))).find((o) => o.flag === key)!;
    expect(outcome.action).toBe("advance");
    expect((await readStateRow(key))!.percentageBp).toBe(10_000);
    expect((await planOf(key))!).toMatchObject({ status: "completed", summary: "guarded ramp complete" });
    const actions = (await auditOf(key)).map((event) => event.action);
    expect(actions.slice(0, 3)).toEqual(["ramp.completed", "ramp.advanced", "flag.state_updated"]);
  });

  it("samples from before the step, and pinned or unkeyed ones, are not evidence", async () => {
    const key = await givenFlag("guard_only_rollout");
    const plan = (await start(key)).body.rampPlan!;
    const startedAt = Date.parse(plan.stepStartedAt);
    // A window that began before the step, full of errors: not this step's evidence.
    await givenTraffic(key, { path: "new", requests: 2_000, errors: 500, at: new Date(startedAt + 5_000) });
    for (const reason of ["pinned", "unkeyed"] as const) {
      await givenTraffic(key, { path: "new", requests: 2_000, errors: 500, reason, at: new Date(startedAt + 40_000) });
    }
    const outcome = (await runGuardChecks(await getDb(), new Date(startedAt + 50_000))).find((o) => o.flag === key)!;
    expect(outcome.action).toBe("hold");
    expect((await readStateRow(key))!.killed).toBe(false);
  });

  it("a person's change a moment before the guard acts wins; the guard's stale write is refused", async () => {
    const key = await givenFlag("guard_race");
    const plan = (await start(key)).body.rampPlan!;
    await givenStepTraffic(key, plan.stepStartedAt);
    const db = await getDb();
    // Both start at once; whichever commits second finds the other's change.
    const [person, guard] = await Promise.all([
      callRoute(flagRoute.PATCH, {
        method: "PATCH",
        path: `/api/flags/${key}?env=production`,
        params: { key },
        body: { percentage: 2 },
        headers: { "if-match": `"${(await readStateRow(key))!.version}"` },
      }),
      runGuardChecks(db, afterHold(plan)),
    ]);
    // Found paused already, the guard does not look at it at all.
    const outcome = guard.find((o) => o.flag === key) ?? { action: "not running" };
    const state = (await readStateRow(key))!;
    const audit = (await auditOf(key)).filter((event) => event.action === "flag.state_updated");
    if (person.status === 200) {
      expect(["superseded", "not running"]).toContain(outcome.action);
      expect(state.percentageBp).toBe(200);
      expect((await planOf(key))!.status).toBe("paused");
      expect(audit[0]!.actor).toMatch(/^token:/);
    } else {
      expect(person.status).toBe(409);
      expect(outcome.action).toBe("advance");
      expect(state.percentageBp).toBe(500);
      expect(audit[0]!.actor).toBe("guard");
    }
    // Exactly one change after the start's own.
    expect(audit).toHaveLength(2);
  });
});
