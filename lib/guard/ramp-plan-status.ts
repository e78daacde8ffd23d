/**
 * Where a guarded ramp stands. `running` is the only status the controller acts on; the others
 * wait for a person (paused), or are over (completed at 100 %, rolled_back by a kill, aborted).
 */
export const rampPlanStatuses = ["running", "paused", "completed", "rolled_back", "aborted"] as const;
export type RampPlanStatus = (typeof rampPlanStatuses)[number];

/** A plan in one of these may be started afresh; a running or paused one must be aborted first. */
export const FINISHED_STATUSES: readonly RampPlanStatus[] = ["completed", "rolled_back", "aborted"];
