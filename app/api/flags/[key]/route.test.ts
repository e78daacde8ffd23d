import { describe, expect, it } from "vitest";
import type { FlagStateResult } from "@/lib/flags/change-flag-state";
import {
  callRoute,
  countAuditEvents,
  givenFlag,
  readStateRow,
  testAdminToken,
  testAdminTokenInfo,
} from "@/testing/api";
import { uniqueKey } from "@/testing/unique-key";
import { GET, PATCH } from "./route";

function patch(key: string, options: { body?: unknown; rawBody?: string; headers?: Record<string, string>; env?: string }) {
  const query = options.env ? `?env=${options.env}` : "";
  return callRoute<FlagStateResult>(PATCH, {
    method: "PATCH",
    path: `/api/flags/${key}${query}`,
    params: { key },
    body: options.body,
    rawBody: options.rawBody,
    headers: options.headers,
  });
}

describe("PATCH /api/flags/{key}", () => {
  it("accepts the seed's exact curl body, sent as curl -d sends it (form content type)", async () => {
    const key = await givenFlag("schema_v2");
    await patch(key, { body: { percentage: 25, default: true } });

    const response = await patch(key, {
      rawBody: '{"default": false, "percentage": 0}',
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });

    expect(response.status).toBe(200);
    expect(response.body.state).toMatchObject({ default: false, percentage: 0, version: 3, killed: false });
    expect(response.headers.get("etag")).toBe('"3"');
    const row = await readStateRow(key);
    expect(row).toMatchObject({ defaultValue: false, percentageBp: 0, version: 3 });
  });

  it("accepts a body with no content type at all", async () => {
    const key = await givenFlag("no_ctype");
    const request = new Request(`http://localhost/api/flags/${key}`, {
      method: "PATCH",
      body: new TextEncoder().encode('{"percentage": 12.5}'),
      headers: { authorization: `Bearer ${await testAdminToken()}` },
    });
    expect(request.headers.get("content-type")).toBeNull();

    const response = await PATCH(request, { params: Promise.resolve({ key }) });

    expect(response.status).toBe(200);
    expect((await readStateRow(key))?.percentageBp).toBe(1250);
  });

  it("updates rollout attribute and merges context pins, null removing a pin", async () => {
    const key = await givenFlag("pins");
    await patch(key, { body: { contexts: { batch_processor: false, canary: true } } });

    const response = await patch(key, {
      body: { rollout: { by: "tenant_id" }, contexts: { canary: null, cron: false }, reason: "pin workers" },
    });

    expect(response.status).toBe(200);
    expect(response.body.state.rollout).toEqual({ by: "tenant_id" });
    expect(response.body.state.contexts).toEqual({ batch_processor: false, cron: false });
  });

  it("changes only the named environment", async () => {
    const key = await givenFlag("staging_only");
    const response = await patch(key, { env: "staging", body: { percentage: 50 } });

    expect(response.status).toBe(200);
    expect(response.body.environment).toBe("staging");
    expect((await readStateRow(key, "staging"))?.percentageBp).toBe(5000);
    expect((await readStateRow(key, "production"))?.percentageBp).toBe(0);
  });

  it("writes one audit event holding before, after, actor, source and reason", async () => {
    const key = await givenFlag("audited");
    await patch(key, { body: { percentage: 5, reason: "ramp step 2" } });

    const audit = await callRoute<{ events: Record<string, unknown>[] }>(
      (await import("@/app/api/audit/route")).GET,
      { path: `/api/audit?flag=${key}&env=production` },
    );

    expect(audit.body.events).toHaveLength(1);
    expect(audit.body.events[0]).toMatchObject({
      action: "flag.state_updated",
      actor: `token:${(await testAdminTokenInfo()).name}`,
      source: "api",
      environment: "production",
      flag: key,
      reason: "ramp step 2",
      before: { percentage: 0, version: 1 },
      after: { percentage: 5, version: 2 },
    });
  });

  it("writes nothing for a request that changes nothing", async () => {
    const key = await givenFlag("noop");
    const response = await patch(key, { body: { default: false, percentage: 0 } });

    expect(response.status).toBe(200);
    expect(response.body.changed).toBe(false);
    expect(response.body.state.version).toBe(1);
    expect(await countAuditEvents(key)).toBe(1); // flag.created only
  });

  it("answers 409 for a stale If-Match and 200 for the current one", async () => {
    const key = await givenFlag("if_match");
    const stale = await patch(key, { body: { percentage: 1 }, headers: { "if-match": "7" } });
    expect(stale.status).toBe(409);
    expect(stale.body.error?.code).toBe("version_conflict");
    expect(stale.body.error?.details).toEqual([{ path: "If-Match", message: "current version is 1" }]);

    const current = await patch(key, { body: { percentage: 1 }, headers: { "if-match": '"1"' } });
    expect(current.status).toBe(200);
    expect(current.body.state.version).toBe(2);
  });

  it("lets exactly one of 20 concurrent PATCHes with the same If-Match win", async () => {
    const key = await givenFlag("race");
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => patch(key, { body: { percentage: i + 1 }, headers: { "if-match": "1" } })),
    );

    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    const winner = responses.find((r) => r.status === 200);
    const row = await readStateRow(key);
    expect(row?.version).toBe(2);
    expect(row?.percentageBp).toBe(Math.round((winner?.body.state.percentage ?? -1) * 100));
    expect(await countAuditEvents(key)).toBe(2); // flag.created + the one winner
  });

  it("refuses to change the percentage of a killed flag until it is restored", async () => {
    const key = await givenFlag("killed_patch");
    await patch(key, { body: { percentage: 30 } });
    const { POST: kill } = await import("./kill/route");
    await callRoute(kill, { method: "POST", path: `/api/flags/${key}/kill`, params: { key } });

    const response = await patch(key, { body: { percentage: 60 } });

    expect(response.status).toBe(409);
    expect(response.body.error?.code).toBe("flag_killed");
    expect(response.body.error?.details[0].path).toBe("percentage");
    expect(await readStateRow(key)).toMatchObject({ percentageBp: 0, killed: true, percentageBeforeKillBp: 3000 });
  });

  it("answers 404 for an unknown flag and for an unknown environment", async () => {
    const missing = await patch(uniqueKey("missing"), { body: { percentage: 1 } });
    expect(missing.status).toBe(404);
    expect(missing.body.error?.code).toBe("flag_not_found");

    const key = await givenFlag("unknown_env");
    const unknownEnv = await patch(key, { env: "moon", body: { percentage: 1 } });
    expect(unknownEnv.status).toBe(404);
    expect(unknownEnv.body.error?.details).toEqual([{ path: "env", message: 'unknown environment "moon"' }]);
  });
});

describe("PATCH /api/flags/{key} with bad input writes nothing", () => {
  const badInputs: { name: string; status: number; field: string; rawBody?: string; body?: unknown; key?: string; headers?: Record<string, string> }[] = [
    { name: "malformed JSON", status: 400, field: "body", rawBody: '{"percentage": 5' },
    { name: "a NaN literal", status: 400, field: "body", rawBody: '{"percentage": NaN}' },
    { name: "a JSON array", status: 400, field: "body", rawBody: "[1,2]" },
    { name: "percentage as a string", status: 400, field: "percentage", body: { percentage: "25" } },
    { name: "percentage as the string NaN", status: 400, field: "percentage", body: { percentage: "NaN" } },
    { name: "default as a string", status: 400, field: "default", body: { default: "false" } },
    { name: "an unknown field", status: 400, field: "enabled", body: { percentage: 5, enabled: true } },
    { name: "an unknown nested field", status: 400, field: "rollout.salt", body: { rollout: { by: "user_id", salt: "x" } } },
    { name: "percentage above 100", status: 400, field: "percentage", body: { percentage: 100.01 } },
    { name: "percentage below 0", status: 400, field: "percentage", body: { percentage: -1 } },
    { name: "percentage with three decimals", status: 400, field: "percentage", body: { percentage: 12.345 } },
    { name: "a pin that is not a boolean", status: 400, field: "contexts.batch_processor", body: { contexts: { batch_processor: "off" } } },
    { name: "an empty rollout attribute", status: 400, field: "rollout.by", body: { rollout: { by: "" } } },
    { name: "nothing to change", status: 400, field: "body", body: { reason: "just because" } },
    { name: "a bad If-Match", status: 400, field: "If-Match", body: { percentage: 5 }, headers: { "if-match": "latest" } },
    { name: "a body over 64 KiB", status: 413, field: "body", rawBody: JSON.stringify({ percentage: 5, reason: "x".repeat(70_000) }) },
    { name: "a bad key", status: 400, field: "key", key: "Schema V2!", body: { percentage: 5 } },
  ];

  for (const bad of badInputs) {
    it(`${bad.name} → ${bad.status} naming ${bad.field}`, async () => {
      const key = await givenFlag("bad_input");
      await patch(key, { body: { percentage: 10, contexts: { batch_processor: false } } });
      const before = await readStateRow(key);

      const target = bad.key ?? key;
      const response = await patch(target, { body: bad.body, rawBody: bad.rawBody, headers: bad.headers });

      expect(response.status).toBe(bad.status);
      expect(response.body.error?.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(response.body.error?.details.map((d) => d.path)).toContain(bad.field);
      expect(await readStateRow(key)).toEqual(before);
      expect(await countAuditEvents(key)).toBe(2); // flag.created + the setup PATCH
    });
  }
});

describe("GET /api/flags/{key}", () => {
  it("returns the flag, its state in the environment and its removal ticket", async () => {
    const key = await givenFlag("get_one", {
      removalTicket: { contraction: { table: "orders", oldColumn: "status", newColumn: "order_status" } },
    });

    const response = await callRoute<Record<string, Record<string, unknown>>>(GET, {
      path: `/api/flags/${key}?env=staging`,
      params: { key },
    });

    expect(response.status).toBe(200);
    expect(response.body.flag).toMatchObject({ key, owner: "payments-team", archivedAt: null });
    expect(response.body.environment).toBe("staging");
    expect(response.body.state).toMatchObject({ default: false, percentage: 0, rollout: { by: "user_id" }, version: 1 });
    expect(response.body.removalTicket).toMatchObject({
      owner: "payments-team",
      legacyZeroDays: 7,
      status: "open",
      contraction: { table: "orders", oldColumn: "status", newColumn: "order_status" },
    });
  });
});

describe("PATCH /api/flags/{key} targets", () => {
  const tenants = (value: boolean, ...values: string[]) => ({ attribute: "tenant_id", value, values });

  it("merges by rule: a sent list replaces the rule's list, [] removes it, rules not sent stay", async () => {
    const key = await givenFlag("targets_merge");
    const created = await readStateRow(key);

    const first = await patch(key, { body: { targets: [tenants(true, "t-42", "t-7"), { attribute: "region", value: false, values: ["eu-1"] }] } });
    expect(first.status).toBe(200);
    expect(first.body.state.targets).toEqual([
      { attribute: "region", value: false, values: ["eu-1"] },
      { attribute: "tenant_id", value: true, values: ["t-42", "t-7"] },
    ]);
    expect(first.body.state.version).toBe(2);
    const since = first.body.state.targetsSince;
    expect(Date.parse(since ?? "")).toBe(Date.parse(first.body.state.updatedAt));

    const added = await patch(key, { body: { targets: [tenants(false, "t-9")] } });
    expect(added.body.state.targets).toEqual([
      { attribute: "region", value: false, values: ["eu-1"] },
      { attribute: "tenant_id", value: true, values: ["t-42", "t-7"] },
      { attribute: "tenant_id", value: false, values: ["t-9"] },
    ]);
    expect(added.body.state.targetsSince).toBe(since);

    // A value moves from one rule to the other in one PATCH.
    const replaced = await patch(key, { body: { targets: [tenants(true, "t-1"), tenants(false, "t-9", "t-42")] } });
    expect(replaced.status).toBe(200);
    expect(replaced.body.state.targets).toEqual([
      { attribute: "region", value: false, values: ["eu-1"] },
      { attribute: "tenant_id", value: true, values: ["t-1"] },
      { attribute: "tenant_id", value: false, values: ["t-9", "t-42"] },
    ]);
    expect(replaced.body.state.targetsSince).toBe(since);

    const row = await readStateRow(key);
    expect(row?.targets).toHaveLength(3);
    expect(row?.targetsSince?.toISOString()).toBe(since);
    // Target edits do not change what the flag serves everyone else.
    expect(row?.servedSince).toEqual(created?.servedSince);

    const cleared = await patch(key, { body: { targets: [tenants(true), tenants(false), { attribute: "region", value: false, values: [] }] } });
    expect(cleared.body.state).toMatchObject({ targets: [], targetsSince: null, version: 5 });
    expect(await readStateRow(key)).toMatchObject({ targets: [], targetsSince: null });
    expect(await countAuditEvents(key)).toBe(5);
  });

  it("writes the audit event with the targets before and after, and nothing for a PATCH that changes nothing", async () => {
    const key = await givenFlag("targets_audit");
    await patch(key, { body: { targets: [tenants(true, "t-42")] } });
    await patch(key, { body: { targets: [tenants(true, "t-42", "t-43")], reason: "step 2: confirm both columns receive the write" } });

    const same = await patch(key, { body: { targets: [tenants(true, "t-42", "t-43"), tenants(false)] } });
    expect(same.status).toBe(200);
    expect(same.body.changed).toBe(false);
    expect(same.body.state.version).toBe(3);

    const audit = await callRoute<{ events: Record<string, unknown>[] }>((await import("@/app/api/audit/route")).GET, {
      path: `/api/audit?flag=${key}&env=production`,
    });
    expect(audit.body.events).toHaveLength(2); // the two changes, newest first
    expect(await countAuditEvents(key)).toBe(3); // and flag.created
    expect(audit.body.events[0]).toMatchObject({
      action: "flag.state_updated",
      reason: "step 2: confirm both columns receive the write",
      before: { targets: [{ attribute: "tenant_id", value: true, values: ["t-42"] }], version: 2 },
      after: { targets: [{ attribute: "tenant_id", value: true, values: ["t-42", "t-43"] }], version: 3 },
    });
  });

  it("takes exactly 1,000 values in all", async () => {
    const key = await givenFlag("targets_limit");
    await patch(key, { body: { targets: [tenants(true, "t-1", "t-2")] } });
    const values = Array.from({ length: 998 }, (_, i) => `r-${i}`);
    const response = await patch(key, { body: { targets: [{ attribute: "region", value: true, values }] } });
    expect(response.status).toBe(200);
    expect(response.body.state.targets.reduce((sum, rule) => sum + rule.values.length, 0)).toBe(1_000);
  });

  it("answers 409 for a stale If-Match and writes nothing", async () => {
    const key = await givenFlag("targets_if_match");
    await patch(key, { body: { percentage: 5 } });
    const before = await readStateRow(key);

    const stale = await patch(key, { body: { targets: [tenants(true, "t-42")] }, headers: { "if-match": '"1"' } });
    expect(stale.status).toBe(409);
    expect(stale.body.error?.code).toBe("version_conflict");
    expect(await readStateRow(key)).toEqual(before);
    expect(await countAuditEvents(key)).toBe(2);

    const current = await patch(key, { body: { targets: [tenants(true, "t-42")] }, headers: { "if-match": '"2"' } });
    expect(current.status).toBe(200);
    expect(current.body.state).toMatchObject({ version: 3, targets: [tenants(true, "t-42")] });
  });

  it("reminds that the targets outlived the ramp once it reached 100% with them still set", async () => {
    const key = await givenFlag("targets_outlived");
    const set = await patch(key, { body: { targets: [tenants(true, "t-42")] } });
    expect(set.body.state.targetsOutlivedRamp).toBe(false);
    // Set before the ramp, as the seed says, and kept during it: still in use.
    expect((await patch(key, { body: { percentage: 5 } })).body.state.targetsOutlivedRamp).toBe(false);
    expect((await patch(key, { body: { percentage: 50 } })).body.state.targetsOutlivedRamp).toBe(false);

    const ramped = await patch(key, { body: { percentage: 100 } });
    expect(ramped.body.state.targetsOutlivedRamp).toBe(true);
    const read = await callRoute<{ state: FlagStateResult["state"] }>(GET, { path: `/api/flags/${key}?env=production`, params: { key } });
    expect(read.body.state).toMatchObject({ targets: [tenants(true, "t-42")], targetsSince: set.body.state.targetsSince, targetsOutlivedRamp: true });

    const cleared = await patch(key, { body: { targets: [tenants(true)] } });
    expect(cleared.body.state.targetsOutlivedRamp).toBe(false);
    // Added at 100%: left over all the same.
    expect((await patch(key, { body: { targets: [tenants(true, "t-7")] } })).body.state.targetsOutlivedRamp).toBe(true);
  });
});

describe("PATCH /api/flags/{key} with bad targets writes nothing", () => {
  const longValue = "t".repeat(257);
  const badTargets: { name: string; field: string; message?: string; code?: string; targets: unknown }[] = [
    { name: "an attribute that is not a name", field: "targets.0.attribute", targets: [{ attribute: "tenant id", value: true, values: ["t-1"] }] },
    { name: "the attribute kind", field: "targets.0.attribute", message: "contexts", targets: [{ attribute: "kind", value: true, values: ["cron"] }] },
    { name: "a value that is not a boolean", field: "targets.0.value", targets: [{ attribute: "tenant_id", value: "on", values: ["t-1"] }] },
    { name: "an unknown field in a target", field: "targets.0.salt", code: "unknown_field", targets: [{ attribute: "tenant_id", value: true, values: ["t-1"], salt: "x" }] },
    { name: "values that are not a list", field: "targets.0.values", targets: [{ attribute: "tenant_id", value: true, values: "t-1" }] },
    { name: "a value that is not a string", field: "targets.0.values.1", targets: [{ attribute: "tenant_id", value: true, values: ["t-1", 42] }] },
    { name: "an empty value", field: "targets.0.values.0", targets: [{ attribute: "tenant_id", value: true, values: [""] }] },
    { name: "a value over 256 characters", field: "targets.0.values.0", targets: [{ attribute: "tenant_id", value: true, values: [longValue] }] },
    { name: "a value listed twice", field: "targets.0.values.2", message: "is listed twice", targets: [{ attribute: "tenant_id", value: true, values: ["t-3", "t-4", "t-3"] }] },
    {
      name: "one rule sent twice",
      field: "targets.1",
      message: "targets.0",
      targets: [{ attribute: "tenant_id", value: true, values: ["t-3"] }, { attribute: "tenant_id", value: true, values: ["t-4"] }],
    },
    { name: "a value forced off that the stored rule forces on", field: "targets.0.values.1", message: "tenant_id → true", targets: [{ attribute: "tenant_id", value: false, values: ["t-9", "t-2"] }] },
    {
      name: "a value forced both ways in one PATCH",
      field: "targets.0.values.0",
      targets: [{ attribute: "region", value: true, values: ["eu"] }, { attribute: "region", value: false, values: ["us", "eu"] }],
    },
    {
      name: "more than 1,000 values in all",
      field: "targets",
      message: "at most 1,000 values in all",
      targets: [{ attribute: "region", value: true, values: Array.from({ length: 999 }, (_, i) => `r-${i}`) }],
    },
  ];

  for (const bad of badTargets) {
    it(`${bad.name} → 400 naming ${bad.field}`, async () => {
      const key = await givenFlag("bad_targets");
      await patch(key, { body: { targets: [{ attribute: "tenant_id", value: true, values: ["t-1", "t-2"] }] } });
      const before = await readStateRow(key);

      const response = await patch(key, { body: { targets: bad.targets, percentage: 20 } });

      expect(response.status).toBe(400);
      expect(response.body.error?.code).toBe(bad.code ?? "invalid_targets");
      const detail = response.body.error?.details.find((d) => d.path === bad.field);
      expect(detail, JSON.stringify(response.body.error?.details)).toBeDefined();
      if (bad.message) expect(detail?.message).toContain(bad.message);
      expect(await readStateRow(key)).toEqual(before);
      expect(before?.version).toBe(2);
      expect(await countAuditEvents(key)).toBe(2); // flag.created + the setup PATCH
    });
  }
});
