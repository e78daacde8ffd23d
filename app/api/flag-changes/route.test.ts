import { describe, expect, it } from "vitest";
import { PATCH } from "@/app/api/flags/[key]/route";
import { POST as kill } from "@/app/api/flags/[key]/kill/route";
import { callRoute, givenFlag, givenSdkKey, givenSignedInUser, testAdminTokenInfo } from "@/testing/api";
import { GET } from "./route";

function openStream(headers: Record<string, string>, query = "?env=production") {
  const abort = new AbortController();
  const request = new Request(`http://localhost/api/flag-changes${query}`, { headers, signal: abort.signal });
  return { abort, response: GET(request, { params: Promise.resolve({}) }) };
}

/** Reads the stream until an event of this type names the flag; returns its id and data. */
async function nextChange(response: Response, key: string): Promise<{ id: string; data: Record<string, unknown> }> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the stream ended before a change of ${key}: ${text}`);
      text += decoder.decode(value, { stream: true });
      for (const block of text.split("\n\n")) {
        const id = /^id: (.+)$/m.exec(block)?.[1];
        const data = /^data: (.+)$/m.exec(block)?.[1];
        if (/^event: change$/m.test(block) && id && data && JSON.parse(data).key === key) return { id, data: JSON.parse(data) };
      }
    }
  } finally {
    reader.releaseLock();
  }
}

describe("GET /api/flag-changes", () => {
  it("answers 401 without a session, and 403 to an SDK key", async () => {
    const { response } = openStream({});
    const anonymous = await response;
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).error.code).toBe("unauthorized");

    const sdk = await openStream({ authorization: `Bearer ${await givenSdkKey()}` }).response;
    expect(sdk.status).toBe(403);
  });

  it("names the field when the environment does not exist", async () => {
    const { cookie } = await givenSignedInUser("viewer");
    const response = await openStream({ cookie }, "?env=nowhere").response;
    expect(response.status).toBe(404);
    expect((await response.json()).error.details).toEqual([expect.objectContaining({ path: "env" })]);
  });

  it("tells a signed-in viewer about a PATCH made elsewhere: flag, environment, version, action and who", async () => {
    const key = await givenFlag("live_changes");
    const { cookie } = await givenSignedInUser("viewer");
    const { abort, response } = openStream({ cookie });
    const stream = await response;
    expect(stream.status).toBe(200);
    expect(stream.headers.get("content-type")).toContain("text/event-stream");

    const patched = await callRoute(PATCH, { method: "PATCH", path: `/api/flags/${key}?env=production`, params: { key }, body: { percentage: 25 } });
    expect(patched.status).toBe(200);
    const { name: tokenName } = await testAdminTokenInfo();
    const ramped = await nextChange(stream, key);
    expect(ramped.data).toMatchObject({
      key,
      environment: "production",
      version: 2,
      percentage: 25,
      killed: false,
      action: "flag.state_updated",
      actor: `token:${tokenName}`,
    });

    await callRoute(kill, { method: "POST", path: `/api/flags/${key}/kill?env=production`, params: { key }, body: { reason: "p99 doubled" } });
    const killed = await nextChange(stream, key);
    expect(killed.data).toMatchObject({ key, version: 3, killed: true, percentage: 0, action: "flag.killed" });
    expect(Number(killed.id)).toBeGreaterThan(Number(ramped.id));
    abort.abort();
  });

  it("resumes from Last-Event-ID: a change made while the tab was away still arrives", async () => {
    const key = await givenFlag("live_resume");
    const { cookie } = await givenSignedInUser("viewer");
    const first = openStream({ cookie });
    const stream = await first.response;
    await callRoute(PATCH, { method: "PATCH", path: `/api/flags/${key}`, params: { key }, body: { percentage: 5 } });
    const seen = await nextChange(stream, key);
    first.abort.abort();

    await callRoute(PATCH, { method: "PATCH", path: `/api/flags/${key}`, params: { key }, body: { percentage: 25 } });
    const again = openStream({ cookie, "last-event-id": seen.id });
    const missed = await nextChange(await again.response, key);
    expect(missed.data).toMatchObject({ key, version: 3, percentage: 25, action: "flag.state_updated" });
    again.abort.abort();
  });
});
