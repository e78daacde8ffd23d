/** Which work a flag's page leads with: the ramp (metrics, ramp form), the teardown, or the record. */
export type FlagPageStage = "ramping" | "ramped" | "archived";

/** Killed or at 0% counts as ramping: the metrics and the kill switch are what matter then. */
export function flagPageStage({ archived, killed, percentage }: { archived: boolean; killed: boolean; percentage: number }): FlagPageStage {
  if (archived) return "archived";
  return !killed && percentage >= 100 ? "ramped" : "ramping";
}
