/** A flag change as the charts get it from the audit log (read-flag-metrics' percentageChanges). */
export interface ChartedChange {
  action: string;
  actor: string;
  from: number | null;
  to: number | null;
}

export type ChangeMarkerTone = "ramp" | "killed" | "restored";

/** GUARD_ACTOR's name (guard-controller.ts), spelled here so client bundles skip the controller. */
const GUARD = "guard";

/** A change's marker label: "→ 25%", "killed", "restored", and the guard's own as "guard: 5%", "guard killed". */
export function changeMarker(change: ChartedChange): { label: string; tone: ChangeMarkerTone } | null {
  const byGuard = change.actor === GUARD;
  if (change.action === "flag.killed") return { label: byGuard ? "guard killed" : "killed", tone: "killed" };
  if (change.action === "flag.restored") return { label: "restored", tone: "restored" };
  // A state update that left the percentage alone (default, pins) moves nobody between paths.
  if (change.to === null || change.to === change.from) return null;
  return { label: byGuard ? `guard: ${change.to}%` : `→ ${change.to}%`, tone: "ramp" };
}
