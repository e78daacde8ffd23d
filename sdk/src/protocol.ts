import type { FlagState } from "./flag-state";

// What the control plane sends SDKs: GET /api/sdk/flags answers a FlagSnapshot; GET
// /api/sdk/stream sends server-sent events whose id is the change position (`seq`).

export interface FlagSnapshot {
  environment: string;
  /** The newest change position included; resume the stream from here (Last-Event-ID). */
  cursor: number;
  flags: FlagState[];
}

/** `event: flag`: the flag's whole new state. `event: archived`: drop the flag. */
export type FlagChange =
  | { type: "flag"; seq: number; flag: FlagState }
  | { type: "archived"; seq: number; key: string };

export const SDK_SNAPSHOT_PATH = "/api/sdk/flags";
export const SDK_STREAM_PATH = "/api/sdk/stream";

export const SDK_METRICS_PATH = "/api/sdk/metrics";

/** Which branch a gated call took. */
export type GatePath = "new" | "legacy";

/** Why an evaluation gave its value; metrics count each flag × path × reason. */
export const EVALUATION_REASONS = ["rollout", "pinned", "targeted", "unkeyed", "killed", "fallback"] as const;
export type EvaluationReason = (typeof EVALUATION_REASONS)[number];

/** One flag × path × reason aggregate over a flush window. */
export interface MetricsEntry {
  flag: string;
  path: GatePath;
  reason: EvaluationReason;
  count: number;
  errors: number;
  /** Latency in milliseconds as a DDSketch (1% relative accuracy), protobuf bytes in base64. */
  sketch: string;
}

/**
 * POST /api/sdk/metrics body. `batchId` makes a retry idempotent: the control plane ignores a
 * batch id it has already stored. The window is [windowStart, windowEnd) in epoch milliseconds.
 */
export interface MetricsBatch {
  batchId: string;
  instanceId: string;
  windowStart: number;
  windowEnd: number;
  entries: MetricsEntry[];
  /** Samples the SDK dropped since its last delivered batch (control plane down, memory bound). */
  dropped: number;
  /**
   * Flag keys evaluated in this window (any `evaluate()`, `enabled()`, `gate()` or OpenFeature
   * call), sorted and distinct, at most 5,000. With the flags in `entries`, the control plane marks
   * these last evaluated at `windowEnd`. Absent when none were.
   */
  evaluated?: string[];
}
