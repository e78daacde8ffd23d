import { and, asc, count, desc, eq, gte, max, min, sql } from "drizzle-orm";
import { z } from "zod";
import { metricBatches } from "@/db/schema";
import type { Db } from "@/lib/db/client";
import { DEFAULT_ENVIRONMENT } from "@/lib/environments/default-environment";
import { requireEnvironment } from "@/lib/environments/environment-store";
import { environmentKeySchema } from "@/lib/environments/schemas";
import { getIngestQueue } from "./ingest-queue";

/** Windows over the batch rows, which are kept 2 days (retention.ts): nothing longer would be whole. */
export const FLEET_WINDOWS = {
  "15m": 15 * 60,
  "1h": 60 * 60,
  "24h": 24 * 60 * 60,
} as const satisfies Record<string, number>;
export type FleetWindow = keyof typeof FLEET_WINDOWS;

export const DEFAULT_LISTED_INSTANCES = 100;
const MAX_LISTED_INSTANCES = 500;

export const fleetQuerySchema = z.strictObject({
  env: environmentKeySchema.default(DEFAULT_ENVIRONMENT),
  window: z.enum(Object.keys(FLEET_WINDOWS) as [FleetWindow, ...FleetWindow[]], { message: "must be 15m, 1h or 24h" }).default("1h"),
  /** Instances listed, droppers first; the totals always count every instance. 0 answers the totals only. */
  limit: z
    .string()
    .regex(/^[0-9]{1,3}$/, `must be a whole number from 0 to ${MAX_LISTED_INSTANCES}`)
    .transform(Number)
    .refine((n) => n <= MAX_LISTED_INSTANCES, `must be a whole number from 0 to ${MAX_LISTED_INSTANCES}`)
    .default(DEFAULT_LISTED_INSTANCES),
});
export type FleetQuery = z.infer<typeof fleetQuerySchema>;

export interface InstanceHealth {
  instanceId: string;
  batches: number;
  /** Samples delivered in the window's batches. */
  samples: number;
  /** Samples the instance could not deliver, as reported by its batches in the window. */
  dropped: number;
  /** dropped / (samples + dropped); null when it reported neither. */
  droppedShare: number | null;
  firstSeen: string;
  lastSeen: string;
}

export interface FleetTotals {
  instances: number;
  droppingInstances: number;
  batches: number;
  samples: number;
  dropped: number;
  droppedShare: number | null;
}

// The window is measured on the database clock: received_at is stamped by it (defaultNow), so
// several control-plane instances with skewed clocks still agree on which batches are in it.
function inWindow(environmentId: number, window: FleetWindow) {
  return and(
    eq(metricBatches.environmentId, environmentId),
    gte(metricBatches.receivedAt, sql`now() - ${`${FLEET_WINDOWS[window]} seconds`}::interval`),
  );
}

// Sums of bigints are numeric in PostgreSQL (a string on the wire); per window they stay far below 2^53.
const samplesSum = sql<number>`coalesce(sum(${metricBatches.samples}), 0)`.mapWith(Number);
const droppedSum = sql<number>`coalesce(sum(${metricBatches.dropped}), 0)`.mapWith(Number);

/** Per SDK instance in one environment over the window: instances that dropped samples first, most drops first. */
export async function findInstanceBatchCounts(db: Db, { environmentId, window, limit }: { environmentId: number; window: FleetWindow; limit: number }) {
  if (limit === 0) return [];
  return db
    .select({
      instanceId: metricBatches.instanceId,
      batches: count(),
      samples: samplesSum,
      dropped: droppedSum,
      firstSeen: min(metricBatches.receivedAt),
      lastSeen: max(metricBatches.receivedAt),
    })
    .from(metricBatches)
    .where(inWindow(environmentId, window))
    .groupBy(metricBatches.instanceId)
    .orderBy(desc(droppedSum), asc(metricBatches.instanceId))
    .limit(limit);
}

/** The whole environment over the window, however many instances it has. */
export async function findFleetBatchTotals(db: Db, { environmentId, window }: { environmentId: number; window: FleetWindow }) {
  // Grouped per instance first: a hash aggregate, where count(distinct) would sort every row.
  const perInstance = db
    .select({ instanceId: metricBatches.instanceId, batches: count().as("batches"), samples: samplesSum.as("samples"), dropped: droppedSum.as("dropped") })
    .from(metricBatches)
    .where(inWindow(environmentId, window))
    .groupBy(metricBatches.instanceId)
    .as("per_instance");
  const [totals] = await db
    .select({
      instances: count(),
      droppingInstances: sql<number>`count(*) filter (where ${perInstance.dropped} > 0)`.mapWith(Number),
      batches: sql<number>`coalesce(sum(${perInstance.batches}), 0)`.mapWith(Number),
      samples: sql<number>`coalesce(sum(${perInstance.samples}), 0)`.mapWith(Number),
      dropped: sql<number>`coalesce(sum(${perInstance.dropped}), 0)`.mapWith(Number),
      asOf: sql<Date>`now()`.mapWith(metricBatches.receivedAt),
    })
    .from(perInstance);
  return totals;
}

/** Which SDK instances reported in the window, and which of them dropped samples they could not deliver. */
export async function readFleetHealth(db: Db, { env, window, limit = DEFAULT_LISTED_INSTANCES }: { env: string; window: FleetWindow; limit?: number }) {
  const environment = await requireEnvironment(db, env);
  const [rows, totals] = await Promise.all([
    findInstanceBatchCounts(db, { environmentId: environment.id, window, limit }),
    findFleetBatchTotals(db, { environmentId: environment.id, window }),
  ]);
  const instances: InstanceHealth[] = rows.map((row) => ({
    instanceId: row.instanceId,
    batches: row.batches,
    samples: row.samples,
    dropped: row.dropped,
    droppedShare: shareOf(row.dropped, row.samples),
    // Never null: a group exists only with at least one row.
    firstSeen: row.firstSeen!.toISOString(),
    lastSeen: row.lastSeen!.toISOString(),
  }));
  const fleet: FleetTotals = {
    instances: totals.instances,
    droppingInstances: totals.droppingInstances,
    batches: totals.batches,
    samples: totals.samples,
    dropped: totals.dropped,
    droppedShare: shareOf(totals.dropped, totals.samples),
  };
  return {
    environment: environment.key,
    window,
    /** The database's clock when it answered; the window ends here. */
    asOf: totals.asOf.toISOString(),
    totals: fleet,
    instances,
    /** True when more instances reported than are listed. */
    truncated: instances.length < fleet.instances,
    /** The control-plane instance that answered: its metrics queue, and batches it shed (429) since it started. */
    controlPlane: (await getIngestQueue()).status(),
  };
}

export type FleetHealth = Awaited<ReturnType<typeof readFleetHealth>>;

function shareOf(dropped: number, samples: number): number | null {
  return dropped + samples === 0 ? null : dropped / (dropped + samples);
}
