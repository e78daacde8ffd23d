import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { slackMessage } from "@/lib/notifications/slack-message";
import type { Api } from "./api";
import { closeServer, FaultSwitch, startFaultControl } from "./fault-control";
import { readSlackMessage, registerSlackSink, SLACK_SINK_DESTINATION, SLACK_SINK_KEEP, SlackSink, slackSinkLines } from "./slack-sink";

const rollback = slackMessage({
  type: "guard_rollback",
  severity: "critical",
  summary: "Guard rolled back schema_v2 in production",
  flag: "schema_v2",
  environment: "production",
  actor: "guard",
  source: "controller",
  reason: "Guard: new-path error rate 6.8% vs legacy 0.18% (≥ +4.4 pp at 95% confidence, +0.50 pp allowed) & p99 <183 ms> at 5%",
  link: "http://localhost:3000/flags/schema_v2?env=production",
  occurredAt: "2026-12-03T10:00:00.000Z",
});

describe("reading Rampart's Slack message", () => {
  test("gives the header, the fields, the reason unescaped and the link", () => {
    const message = readSlackMessage(rollback, new Date("2026-12-03T10:00:01.000Z"));
    expect(message).toMatchObject({
      receivedAt: "2026-12-03T10:00:01.000Z",
      header: "🔴 Guard rolled back schema_v2 in production",
      fields: [
        { label: "Flag", value: "schema_v2" },
        { label: "Environment", value: "production" },
        { label: "By", value: "guard (controller)" },
        { label: "Severity", value: "critical" },
      ],
      reason: "Guard: new-path error rate 6.8% vs legacy 0.18% (≥ +4.4 pp at 95% confidence, +0.50 pp allowed) & p99 <183 ms> at 5%",
      link: { text: "Open in Rampart", url: "http://localhost:3000/flags/schema_v2?env=production" },
      lines: ["2026-12-03 10:00:00 UTC"],
    });
    // Colours are off when stdout is no terminal, as under vitest.
    expect(slackSinkLines(message)).toEqual([
      "Slack ▸ 🔴 Guard rolled back schema_v2 in production",
      "        Flag schema_v2 · Environment production · By guard (controller) · Severity critical",
      "        Reason Guard: new-path error rate 6.8% vs legacy 0.18% (≥ +4.4 pp at 95% confidence, +0.50 pp allowed) & p99 <183 ms> at 5%",
      "        Open in Rampart: http://localhost:3000/flags/schema_v2?env=production",
      "        2026-12-03 10:00:00 UTC",
    ]);
  });

  test("a plain-text message without blocks still has a first line", () => {
    expect(readSlackMessage({ text: "*Deploy* finished <https://ci.example.com/1|#1>" }).header).toBe("Deploy finished #1");
  });
});

describe("the sink on the control server", () => {
  let server: Server;
  let base: string;
  const printed: string[][] = [];
  const sink = new SlackSink((lines) => printed.push(lines));

  beforeAll(async () => {
    server = await startFaultControl(new FaultSwitch(), 0, [(request, response, path) => sink.handle(request, response, path)]);
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => closeServer(server));

  const post = (body: string) => fetch(`${base}/slack`, { method: "POST", headers: { "content-type": "application/json" }, body });

  test("answers like Slack, prints each message, and lists the last ones; the fault switch still answers", async () => {
    const ok = await post(JSON.stringify(rollback));
    expect([ok.status, await ok.text()]).toEqual([200, "ok"]);
    expect(printed).toHaveLength(1);
    expect(printed[0]![0]).toBe("Slack ▸ 🔴 Guard rolled back schema_v2 in production");

    for (const [body, answer] of [
      ["not json", "invalid_payload"],
      ["[1]", "invalid_payload"],
      ['{"blocks": []}', "no_text"],
      ['{"text": "x", "blocks": {}}', "invalid_blocks"],
    ]) {
      const refused = await post(body!);
      expect([refused.status, await refused.text()]).toEqual([400, answer]);
    }
    expect(printed).toHaveLength(1);

    const listed = (await (await fetch(`${base}/slack`)).json()) as { messages: { header: string; body: unknown }[] };
    expect(listed.messages.map((message) => message.header)).toEqual(["🔴 Guard rolled back schema_v2 in production"]);
    expect(listed.messages[0]!.body).toEqual(rollback);

    expect(await (await fetch(`${base}/fault`)).json()).toEqual({ fault: false });
    expect((await fetch(`${base}/fault/on`, { method: "POST" })).status).toBe(200);
    expect(await (await fetch(`${base}/fault`)).json()).toEqual({ fault: true });
  });

  test(`keeps the last ${SLACK_SINK_KEEP} messages`, async () => {
    for (let i = 0; i < SLACK_SINK_KEEP + 2; i++) expect((await post(JSON.stringify({ text: `message ${i}` }))).status).toBe(200);
    expect(sink.messages).toHaveLength(SLACK_SINK_KEEP);
    expect(sink.messages[0]!.header).toBe("message 2");
    expect(sink.messages.at(-1)!.header).toBe(`message ${SLACK_SINK_KEEP + 1}`);
  });
});

/** Rampart's destinations API as far as registering the sink uses it, kept in memory. */
function destinationsApi(initial: { id: number; name: string; kind: string; urlHost: string; enabled: boolean }[]) {
  const destinations = initial.map((destination) => ({ ...destination }));
  const calls: { path: string; method: string; body?: unknown }[] = [];
  const api: Api = async (path, method, body) => {
    calls.push({ path, method, ...(body === undefined ? {} : { body }) });
    if (path === "/api/notifications/destinations" && method === "GET") return { status: 200, body: { destinations } };
    if (path === "/api/notifications/destinations" && method === "POST") {
      const { name, kind, url } = body as { name: string; kind: string; url: string };
      destinations.push({ id: destinations.length + 1, name, kind, urlHost: new URL(url).host, enabled: true });
      return { status: 201, body: destinations.at(-1) };
    }
    const patched = /^\/api\/notifications\/destinations\/(\d+)$/.exec(path);
    if (patched && method === "PATCH") {
      const destination = destinations.find((d) => d.id === Number(patched[1]))!;
      destination.urlHost = new URL((body as { url: string }).url).host;
      return { status: 200, body: destination };
    }
    return { status: 404, body: { error: { message: `no ${method} ${path}` } } };
  };
  return { api, calls, destinations };
}

describe("registering the sink in Rampart", () => {
  test("adds a Slack destination for the demo environment's kills, rollbacks, pauses and restores", async () => {
    const { api, calls } = destinationsApi([]);
    await registerSlackSink(api, { url: "http://127.0.0.1:3001/slack", environment: "production" });
    expect(calls.at(-1)).toEqual({
      path: "/api/notifications/destinations",
      method: "POST",
      body: {
        name: SLACK_SINK_DESTINATION,
        kind: "slack",
        url: "http://127.0.0.1:3001/slack",
        eventTypes: ["kill", "guard_rollback", "guard_paused", "restore"],
        environments: ["production"],
        minSeverity: "info",
      },
    });
  });

  test("on a rerun leaves it as it is, or points it at the control server's new port", async () => {
    const { api, calls, destinations } = destinationsApi([{ id: 7, name: SLACK_SINK_DESTINATION, kind: "slack", urlHost: "127.0.0.1:3001", enabled: true }]);
    await registerSlackSink(api, { url: "http://127.0.0.1:3001/slack", environment: "production" });
    expect(calls.map(({ method }) => method)).toEqual(["GET"]);

    await registerSlackSink(api, { url: "http://127.0.0.1:3401/slack", environment: "production" });
    expect(calls.at(-1)).toEqual({ path: "/api/notifications/destinations/7", method: "PATCH", body: { url: "http://127.0.0.1:3401/slack" } });
    expect(destinations).toEqual([{ id: 7, name: SLACK_SINK_DESTINATION, kind: "slack", urlHost: "127.0.0.1:3401", enabled: true }]);
  });
});
