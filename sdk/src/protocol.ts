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
