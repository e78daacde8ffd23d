import type { MetricsWindow } from "./read-flag-metrics";

/**
 * The metrics window a flag page opens on when the URL names none: 15m while a ramp is under
 * way (fresh minutes are what the next step depends on), 1h otherwise.
 */
export function defaultMetricsWindow(state: { percentage: number; killed: boolean }): MetricsWindow {
  return !state.killed && state.percentage > 0 && state.percentage < 100 ? "15m" : "1h";
}
