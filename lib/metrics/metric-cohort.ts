/**
 * Which traffic a path-metrics row counts: `ramp` is everyone the flag's rules place, `targeted` the
 * named test tenants. Comparisons of new against legacy read `ramp` only; legacy-path totals read both.
 */
export const metricCohorts = ["ramp", "targeted"] as const;
export type MetricCohort = (typeof metricCohorts)[number];

/** The cohort an SDK entry's samples belong to, by its evaluation reason. */
export function cohortOf(reason: string): MetricCohort {
  return reason === "targeted" ? "targeted" : "ramp";
}
