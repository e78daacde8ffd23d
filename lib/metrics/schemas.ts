import { EVALUATION_REASONS } from "@rampart/sdk";
import { z } from "zod";
import { FLAG_KEY_PATTERN } from "@/lib/flags/schemas";

/** A batch bigger than this is refused: an SDK flushes every 10 s and splits anything larger. */
export const MAX_METRICS_BODY_BYTES = 1024 * 1024;
const MAX_ENTRIES = 5_000;
/** Distinct flag keys an SDK notes as evaluated per window; it sends at most this many. */
const MAX_EVALUATED = 5_000;
const MAX_SKETCH_BASE64 = 64 * 1024;
/** How far a window may sit from the server's clock: stale retries and skewed clocks. */
export const MAX_WINDOW_AGE_MS = 24 * 60 * 60 * 1000;

const count = z.number().int("must be a whole number").min(0).max(1e9);
/** A batch's samples in all: 10 s of a very busy instance fits many times over, and sums stay exact. */
export const MAX_BATCH_SAMPLES = 1e12;

export const metricsEntrySchema = z
  .strictObject({
    flag: z.string().regex(FLAG_KEY_PATTERN, "must be a flag key"),
    path: z.enum(["new", "legacy"]),
    reason: z.enum(EVALUATION_REASONS),
    count: count.min(1, "must be at least 1"),
    errors: count,
    sketch: z.base64("must be a base64 DDSketch").max(MAX_SKETCH_BASE64),
  })
  .refine((entry) => entry.errors <= entry.count, { message: "must not exceed count", path: ["errors"] });

export const metricsBatchSchema = z
  .strictObject({
    batchId: z.string().min(8).max(100).regex(/^[A-Za-z0-9_.:-]+$/, "must be a batch id such as a UUID"),
    instanceId: z.string().min(1).max(200),
    windowStart: z.number().int().positive(),
    windowEnd: z.number().int().positive(),
    entries: z.array(metricsEntrySchema).max(MAX_ENTRIES),
    dropped: count,
    /** Flags evaluated in the window (with or without samples): marked last evaluated at windowEnd. */
    evaluated: z.array(z.string().regex(FLAG_KEY_PATTERN, "must be a flag key")).max(MAX_EVALUATED).optional(),
  })
  .refine((batch) => batch.windowEnd >= batch.windowStart, { message: "must not be before windowStart", path: ["windowEnd"] })
  .refine((batch) => batch.entries.reduce((sum, entry) => sum + entry.count, 0) <= MAX_BATCH_SAMPLES, {
    message: `counts must add up to at most ${MAX_BATCH_SAMPLES}`,
    path: ["entries"],
  });

export type MetricsBatchInput = z.infer<typeof metricsBatchSchema>;
