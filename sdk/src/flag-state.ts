/** One targeting rule: contexts whose `attribute` is one of `values` get `value`. */
export interface FlagTarget {
  attribute: string;
  values: string[];
  value: boolean;
}

/**
 * The state of one flag in one environment, as the control plane serves it to SDKs.
 * The evaluation rules that read it are evaluator.ts; docs/design.md states them in prose.
 */
export interface FlagState {
  key: string;
  default: boolean;
  /** 0–100 with at most two decimals. */
  percentage: number;
  rollout: { by: string; salt?: string };
  /** Context kind → pinned value, e.g. `{ batch_processor: false }`. */
  contexts: Record<string, boolean>;
  /**
   * Named values of a context attribute forced to `value`, e.g. `{ attribute: "tenant_id", values: ["t-42"], value: true }`.
   * Absent (older snapshots and cache files) means none.
   */
  targets?: FlagTarget[];
  killed: boolean;
  version: number;
}

export const BASIS_POINTS_PER_PERCENT = 100;

export function percentageToBasisPoints(percentage: number): number {
  return Math.round(percentage * BASIS_POINTS_PER_PERCENT);
}

export function basisPointsToPercentage(basisPoints: number): number {
  return basisPoints / BASIS_POINTS_PER_PERCENT;
}
