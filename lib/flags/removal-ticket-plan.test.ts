import { describe, expect, it } from "vitest";
import { ValidationError } from "@/lib/errors";
import { planRemovalTicket } from "./removal-ticket-plan";

const now = new Date("2026-11-22T10:00:00Z");

describe("planRemovalTicket", () => {
  it("defaults to the flag's owner, zero legacy traffic for 7 days, 24 quiet hours, due in 90 days", () => {
    const ticket = planRemovalTicket("payments-team", undefined, now);
    expect(ticket).toMatchObject({
      owner: "payments-team",
      legacyZeroDays: 7,
      quietHours: 24,
      staleAfterDays: null,
      dueAt: new Date("2027-02-20T10:00:00Z"),
      contractionTable: null,
      status: "open",
    });
  });

  it("reads a bare due date as midnight UTC and accepts today", () => {
    expect(planRemovalTicket("a", { dueDate: "2026-11-22" }, now).dueAt.toISOString()).toBe("2026-11-22T00:00:00.000Z");
  });

  it("refuses a due date before today, naming the field", () => {
    try {
      planRemovalTicket("a", { dueDate: "2026-11-21" }, now);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).details).toEqual([{ path: "removalTicket.dueDate", message: "must not be in the past" }]);
    }
  });

  it("records the schema contraction it will perform", () => {
    const ticket = planRemovalTicket("a", { contraction: { table: "orders", oldColumn: "legacy_total", newColumn: "new_total" } }, now);
    expect(ticket).toMatchObject({ contractionTable: "orders", contractionOldColumn: "legacy_total", contractionNewColumn: "new_total" });
  });
});
