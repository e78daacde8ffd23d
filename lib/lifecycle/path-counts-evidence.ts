/** The metrics behind a zero-fallback confirmation, kept as they were when it was confirmed. */
export interface PathCountsEvidence {
  from: string;
  to: string;
  legacyRequests: number;
  newRequests: number;
  legacyByReason: Record<string, number>;
}
