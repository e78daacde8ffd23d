import { describe, expect, it } from "vitest";
import { notificationEventTypes } from "@/lib/notification-events/notification-event";
import {
  canRedeliver,
  deliveryEventWords,
  describeEnvironments,
  describeEventTypes,
  describeMinSeverity,
  describeOutcome,
  eventTypeLabel,
  formatUtcSeconds,
} from "./destination-words";

describe("a destination's filters in words", () => {
  it("lists the event types in the filter's order, whatever order they were stored in", () => {
    expect(describeEventTypes(["guard_rollback", "kill"])).toBe("Kills, guard rollbacks");
    expect(describeEventTypes(["removal_ticket_overdue"])).toBe("Overdue removal tickets");
  });

  it("says all events when every type is chosen, and none when none is", () => {
    expect(describeEventTypes([...notificationEventTypes].reverse())).toBe("All events");
    expect(describeEventTypes([])).toBe("No events");
  });

  it("names every event type, for the checkboxes and for the log", () => {
    expect(notificationEventTypes.map(eventTypeLabel)).toEqual([
      "Kills",
      "Restores",
      "Percentage changes",
      "Guard rollbacks",
      "Paused ramps",
      "Guard step advances",
      "Completed ramps",
      "Teardown stages passed",
      "Teardowns moved back",
      "Overdue removal tickets",
    ]);
    expect(deliveryEventWords("kill")).toBe("Kill");
    expect(deliveryEventWords("test")).toBe("Test message");
    expect(deliveryEventWords("stale_digest")).toBe("Weekly stale digest");
    expect(deliveryEventWords("added_next_year")).toBe("added_next_year");
  });

  it("reads null environments as all of them", () => {
    expect(describeEnvironments(null)).toBe("All environments");
    expect(describeEnvironments(["production", "staging"])).toBe("production, staging");
  });

  it("says what each minimum severity lets through", () => {
    expect(describeMinSeverity("info")).toBe("Everything (info and up)");
    expect(describeMinSeverity("warning")).toBe("Warnings and critical");
    expect(describeMinSeverity("critical")).toBe("Critical only");
  });
});

describe("a delivery's outcome in words", () => {
  it("gives the receiver's status code when delivered", () => {
    expect(describeOutcome({ status: "delivered", attempts: 1, lastStatusCode: 200, lastError: null })).toBe("Delivered: 200");
  });

  it("gives the error, or else the status code, when failed", () => {
    expect(describeOutcome({ status: "failed", attempts: 1, lastStatusCode: null, lastError: "connect ECONNREFUSED 127.0.0.1:9" })).toBe(
      "Failed: connect ECONNREFUSED 127.0.0.1:9",
    );
    expect(describeOutcome({ status: "failed", attempts: 12, lastStatusCode: 503, lastError: null })).toBe("Failed: HTTP 503");
    expect(describeOutcome({ status: "failed", attempts: 1, lastStatusCode: null, lastError: null })).toBe("Failed: no answer");
  });

  it("tells a pending delivery not yet tried from one being retried", () => {
    expect(describeOutcome({ status: "pending", attempts: 0, lastStatusCode: null, lastError: null })).toBe("Pending: not sent yet");
    expect(describeOutcome({ status: "pending", attempts: 3, lastStatusCode: 503, lastError: null })).toBe("Pending: retrying after HTTP 503");
  });

  it("writes retry times to the second, in UTC", () => {
    expect(formatUtcSeconds("2026-12-03T10:00:07.250Z")).toBe("2026-12-03 10:00:07 UTC");
  });

  it("offers redelivery of finished events only, never of a test or a pending one", () => {
    expect(canRedeliver({ status: "failed", eventType: "kill" })).toBe(true);
    expect(canRedeliver({ status: "delivered", eventType: "kill" })).toBe(true);
    expect(canRedeliver({ status: "pending", eventType: "kill" })).toBe(false);
    expect(canRedeliver({ status: "failed", eventType: "test" })).toBe(false);
  });
});
