import { describe, expect, it } from "vitest";
import { changeMarker } from "./change-marker";

describe("changeMarker", () => {
  it("labels a person's changes by what they did", () => {
    expect(changeMarker({ action: "flag.state_updated", actor: "alice@example.com", from: 5, to: 25 })).toEqual({ label: "→ 25%", tone: "ramp" });
    expect(changeMarker({ action: "flag.killed", actor: "alice@example.com", from: 25, to: 25 })).toEqual({ label: "killed", tone: "killed" });
    expect(changeMarker({ action: "flag.restored", actor: "alice@example.com", from: 25, to: 25 })).toEqual({ label: "restored", tone: "restored" });
  });

  it("labels the guard's advances and kills as the guard's", () => {
    expect(changeMarker({ action: "flag.state_updated", actor: "guard", from: 1, to: 5 })).toEqual({ label: "guard: 5%", tone: "ramp" });
    expect(changeMarker({ action: "flag.killed", actor: "guard", from: 25, to: 25 })).toEqual({ label: "guard killed", tone: "killed" });
  });

  it("skips updates that left the percentage alone", () => {
    expect(changeMarker({ action: "flag.state_updated", actor: "guard", from: 5, to: 5 })).toBeNull();
    expect(changeMarker({ action: "flag.state_updated", actor: "bob", from: 5, to: null })).toBeNull();
  });
});
