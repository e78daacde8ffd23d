import { describe, expect, it } from "vitest";
import { GET as getFlag } from "@/app/api/flags/[key]/route";
import type { RemovalTicketView } from "@/lib/flags/flag-view";
import { callRoute, countAuditEvents, givenFlag, givenToken } from "@/testing/api";
import { PATCH as patchTicket } from "./route";

describe("PATCH /api/flags/{key}/removal-ticket", () => {
  async function patch(key: string, body: unknown, as?: string) {
    return callRoute<{ removalTicket: RemovalTicketView; changed: boolean }>(patchTicket, {
      method: "PATCH",
      path: `/api/flags/${key}/removal-ticket`,
      params: { key },
      body,
      as,
    });
  }

  async function ticketOf(key: string): Promise<RemovalTicketView> {
    return (await callRoute<{ removalTicket: RemovalTicketView }>(getFlag, { path: `/api/flags/${key}`, params: { key } })).body.removalTicket;
  }

  it("edits the trigger, owner, due date, contraction and link, with one audit event", async () => {
    const key = await givenFlag("ticket_edit", { removalTicket: { link: "https://tracker.example/ORD-1" } });
    const response = await patch(key, {
      owner: "dba-team",
      legacyZeroDays: 14,
      quietHours: 48,
      staleAfterDays: 21,
      dueDate: "2099-03-01",
      contraction: { table: "orders", oldColumn: "legacy_total" },
    });

    expect(response.status).toBe(200);
    expect(response.body.changed).toBe(true);
    expect(await ticketOf(key)).toMatchObject({
      owner: "dba-team",
      legacyZeroDays: 14,
      quietHours: 48,
      staleAfterDays: 21,
      dueDate: "2099-03-01T00:00:00.000Z",
      contraction: { table: "orders", oldColumn: "legacy_total", newColumn: null },
      link: "https://tracker.example/ORD-1",
      status: "open",
    });
    expect(await countAuditEvents(key)).toBe(2);

    const cleared = await patch(key, { link: null, staleAfterDays: null });
    expect(cleared.body.removalTicket).toMatchObject({ link: null, staleAfterDays: null, owner: "dba-team" });
    expect(await countAuditEvents(key)).toBe(3);
  });

  it("writes nothing for an edit that changes nothing", async () => {
    const key = await givenFlag("ticket_same");
    const response = await patch(key, { legacyZeroDays: 7 });
    expect(response.body.changed).toBe(false);
    expect(await countAuditEvents(key)).toBe(1);
  });

  it("answers 400 naming the field, and writes nothing", async () => {
    const key = await givenFlag("ticket_bad");
    for (const [body, path] of [
      [{ legacyZeroDays: 0 }, "legacyZeroDays"],
      [{ quietHours: 1.5 }, "quietHours"],
      [{ dueDate: "2001-01-01" }, "dueDate"],
      [{ contraction: { table: "orders", oldColumn: "drop table" } }, "contraction.oldColumn"],
      [{ status: "done" }, "status"],
      [{}, "body"],
    ] as const) {
      const response = await patch(key, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.error?.details.map((d) => d.path)).toContain(path);
    }
    expect(await ticketOf(key)).toMatchObject({ legacyZeroDays: 7, quietHours: 24, status: "open" });
    expect(await countAuditEvents(key)).toBe(1);
  });

  it("is for operators and admins: a viewer is refused", async () => {
    const key = await givenFlag("ticket_viewer");
    const viewer = await givenToken("viewer");
    expect((await patch(key, { owner: "someone" }, viewer.secret)).status).toBe(403);
    const operator = await givenToken("operator");
    expect((await patch(key, { owner: "someone" }, operator.secret)).status).toBe(200);
  });
});
