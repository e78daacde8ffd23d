export type { FlagState } from "./flag-state";
export { basisPointsToPercentage, percentageToBasisPoints } from "./flag-state";
export type { Evaluation, EvaluationContext, EvaluationReason } from "./evaluator";
export { BUCKETS, bucketOf, evaluate } from "./evaluator";
export { murmurhash3_x86_32 } from "./murmurhash3";
export type { FlagChange, FlagSnapshot } from "./protocol";
export { SDK_SNAPSHOT_PATH, SDK_STREAM_PATH } from "./protocol";
export type { ClientOptions, ClientStatus } from "./client";
export { createClient, RampartClient } from "./client";
