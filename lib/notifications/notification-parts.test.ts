import { describe, expect, it } from "vitest";
import { retryDelayMs } from "./delivery-worker";
import { signatureHeader, verifySignature } from "./signing";
import { slackMessage } from "./slack-message";
import { isPrivateAddress, publicOnlyLookup, urlRefusal } from "./url-guard";

describe("addresses a webhook may not reach", () => {
  it("are loopback, private, link-local, CGNAT, multicast and their IPv6 and mapped forms", () => {
    for (const address of ["127.0.0.1", "10.0.0.5", "172.16.3.4", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "::1", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "not-an-ip"]) {
      expect(isPrivateAddress(address), address).toBe(true);
    }
    for (const address of ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"]) expect(isPrivateAddress(address), address).toBe(false);
  });

  it("are refused by name too, when the name resolves to one, at connect time", async () => {
    const lookup = publicOnlyLookup(false);
    const error = await new Promise<NodeJS.ErrnoException | null>((resolve) => lookup("localhost", {}, (e) => resolve(e)));
    expect(error?.code).toBe("EPRIVATE");
    const allowed = await new Promise<string | unknown>((resolve) => publicOnlyLookup(true)("localhost", {}, (_e, address) => resolve(address)));
    expect(allowed).toMatch(/^(127\.0\.0\.1|::1)$/);
    expect(urlRefusal("https://hooks.slack.com/services/T/B/X", false)).toBeNull();
    expect(urlRefusal("http://127.0.0.1:8080/x", true)).toBeNull();
  });
});

describe("signatures", () => {
  it("verify for the right secret and body within five minutes, and not otherwise", () => {
    const at = new Date("2026-12-03T10:00:00Z");
    const header = signatureHeader("whsec_abc", '{"a":1}', at);
    expect(header).toMatch(/^t=1796292000,v1=[0-9a-f]{64}$/);
    expect(verifySignature("whsec_abc", '{"a":1}', header, new Date(at.getTime() + 299_000))).toBe(true);
    expect(verifySignature("whsec_abc", '{"a":1}', header, new Date(at.getTime() + 301_000))).toBe(false);
    expect(verifySignature("whsec_abc", '{"a":2}', header, at)).toBe(false);
    expect(verifySignature("whsec_abd", '{"a":1}', header, at)).toBe(false);
    expect(verifySignature("whsec_abc", '{"a":1}', "garbage", at)).toBe(false);
  });
});

describe("retries", () => {
  it("back off exponentially to five minutes, with full jitter", () => {
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, () => 1))).toEqual([2_000, 4_000, 8_000, 16_000]);
    expect(retryDelayMs(30, () => 1)).toBe(300_000);
    expect(retryDelayMs(5, () => 0)).toBe(500);
  });
});

describe("the Slack message", () => {
  const payload = {
    type: "kill" as const,
    severity: "critical" as const,
    summary: "Killed: schema_v2 in production",
    flag: "schema_v2",
    environment: "production",
    actor: "alice@example.com",
    source: "ui" as const,
    reason: "p99 <doubled> & errors at 15% <https://evil.example|click>",
    link: "https://rampart.example.com/flags/schema_v2?env=production",
    occurredAt: "2026-12-03T10:00:00.000Z",
  };

  it("has Block Kit's shape: a header, the facts as fields, the reason, a context line with the link", () => {
    const message = slackMessage(payload);
    expect(message.blocks.map((block) => block.type)).toEqual(["header", "section", "section", "context"]);
    const [header, facts, reason, context] = message.blocks as unknown as [
      { text: { type: string; text: string } },
      { fields: { type: string; text: string }[] },
      { text: { type: string; text: string } },
      { elements: { type: string; text: string }[] },
    ];
    expect(header.text).toEqual({ type: "plain_text", text: "🔴 Killed: schema_v2 in production", emoji: true });
    expect(header.text.text.length).toBeLessThanOrEqual(150);
    expect(facts.fields).toHaveLength(4);
    expect(facts.fields.every((field) => field.type === "mrkdwn" && field.text.length <= 2000)).toBe(true);
    expect(facts.fields[2]!.text).toBe("*By*\nalice@example.com (ui)");
    // A reason cannot forge a link or markup: <, > and & are escaped.
    expect(reason.text.text).toBe("*Reason*\np99 &lt;doubled&gt; &amp; errors at 15% &lt;https://evil.example|click&gt;");
    expect(context.elements[0]!.text).toBe("<https://rampart.example.com/flags/schema_v2?env=production|Open in Rampart> · 2026-12-03 10:00:00 UTC");
    expect(message.text).toMatch(/^Killed: schema_v2 in production: p99/);
  });

  it("clips a long summary to the header's 150 characters and leaves out an empty reason", () => {
    const message = slackMessage({ ...payload, summary: "x".repeat(400), reason: null });
    expect((message.blocks[0] as { text: { text: string } }).text.text).toHaveLength(150);
    expect(message.blocks.map((block) => block.type)).toEqual(["header", "section", "context"]);
  });
});
