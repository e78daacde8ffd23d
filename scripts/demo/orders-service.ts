// A synthetic orders service gated with @rampart/sdk: each path reads and writes its columns of
// the real `orders` table (orders-table.ts), then waits out the rest of its latency profile, so
// the dashboard has both paths to compare and the app database has their traffic.
import type { RampartClient } from "@rampart/sdk";
import type { OrdersTable, Path } from "./orders-table";

export const SCHEMA_FLAG = "schema_v2";
export const TOTAL_FLAG = "enable_orders_v2_total";
/** The demo's test tenant: the seed forces schema_v2 on for it before the ramp starts. */
export const TEST_TENANT = { attribute: "tenant_id", value: "t-test" } as const;

const TICK_MS = 10;
/** Catching up after a stalled event loop is capped, so a pause never turns into a burst. */
const MAX_PER_TICK = 20;
const USERS = 5_000;
const BATCH_SHARE = 0.02; // background jobs: { kind: "batch_processor" }, pinned to legacy
const UNKEYED_SHARE = 0.01; // no user at all: {}
const TEST_TENANT_SHARE = 0.01; // the test tenant's QA users: { tenant_id: "t-test", user_id }
const LEGACY_ERROR_RATE = 0.002;
const NEW_ERROR_RATE = 0.002;
const FAULT_ERROR_RATE = 0.15;

export interface PathCounts {
  calls: number;
  errors: number;
}

export interface TrafficCounts {
  requests: number;
  /** Per flag, per path: what the SDK's gate() actually ran. */
  flags: Record<string, Record<Path, PathCounts>>;
  /** schema_v2's paths for the test tenant's requests alone: forced on, they all take the new path. */
  testTenant: Record<Path, PathCounts>;
}

function emptyCounts(): TrafficCounts {
  const paths = () => ({ new: { calls: 0, errors: 0 }, legacy: { calls: 0, errors: 0 } });
  return { requests: 0, flags: { [SCHEMA_FLAG]: paths(), [TOTAL_FLAG]: paths() }, testTenant: paths() };
}

/** Standard normal (Box–Muller). */
function gaussian(): number {
  const u = 1 - Math.random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * Math.random());
}

/** Log-normal around `medianMs`, clamped to something a request could plausibly take. */
function lognormalMs(medianMs: number, sigma: number): number {
  return Math.min(2_000, Math.max(0.5, medianMs * Math.exp(sigma * gaussian())));
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class OrdersService {
  private timer: ReturnType<typeof setInterval> | undefined;
  private startedAt = 0;
  private issued = 0;
  private inFlight = 0;
  private window = emptyCounts();
  private readonly total = emptyCounts();

  constructor(
    private readonly client: RampartClient,
    private readonly orders: OrdersTable,
    /** Read on every request: when true, schema_v2's new path is slow and failing. */
    private readonly faultOn: () => boolean,
    private readonly requestsPerSecond = 200,
    /** Hears each failed statement (the request fails too): the demo says why both paths fail. */
    private readonly onDatabaseError: (error: Error) => void = () => undefined,
  ) {}

  start(): void {
    if (this.timer) return;
    this.startedAt = performance.now();
    this.issued = 0;
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  /** Stops issuing requests and waits (at most `timeoutMs`) for those in flight to finish. */
  async stop(timeoutMs = 3_000): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    const deadline = Date.now() + timeoutMs;
    while (this.inFlight > 0 && Date.now() < deadline) await sleep(20);
  }

  /** Counts since the previous call (for the periodic status line). */
  takeWindow(): TrafficCounts {
    const window = this.window;
    this.window = emptyCounts();
    return window;
  }

  totals(): TrafficCounts {
    return this.total;
  }

  private tick(): void {
    const due = Math.floor(((performance.now() - this.startedAt) * this.requestsPerSecond) / 1000) - this.issued;
    const count = Math.min(due, MAX_PER_TICK);
    this.issued += Math.max(due, 0); // what could not be caught up on is skipped, not queued
    for (let i = 0; i < count; i++) void this.handleRequest();
  }

  /** One incoming request: read the order (schema_v2), and for about half of them its total. */
  private async handleRequest(): Promise<void> {
    this.inFlight += 1;
    this.window.requests += 1;
    this.total.requests += 1;
    try {
      const roll = Math.random();
      const testTenant = roll >= BATCH_SHARE + UNKEYED_SHARE && roll < BATCH_SHARE + UNKEYED_SHARE + TEST_TENANT_SHARE;
      const context: Record<string, string> =
        roll < BATCH_SHARE
          ? { kind: "batch_processor" }
          : roll < BATCH_SHARE + UNKEYED_SHARE
            ? {}
            : testTenant
              ? { [TEST_TENANT.attribute]: TEST_TENANT.value, user_id: `qa-${Math.floor(Math.random() * 20)}` }
              : { user_id: `user-${Math.floor(Math.random() * USERS)}` };
      const order = { tenantId: context[TEST_TENANT.attribute], userId: context.user_id };
      try {
        await this.client.gate(SCHEMA_FLAG, context, {
          newPath: () =>
            this.query(SCHEMA_FLAG, "new", testTenant, () => this.orders.orderStatus("new", order), () =>
              // The fault: ~120 ms ± jitter and 15% failures; healthy, slightly faster than legacy.
              this.faultOn() ? { ms: lognormalMs(120, 0.2), fails: FAULT_ERROR_RATE } : { ms: lognormalMs(10, 0.35), fails: NEW_ERROR_RATE },
            ),
          legacyPath: () =>
            this.query(SCHEMA_FLAG, "legacy", testTenant, () => this.orders.orderStatus("legacy", order), () => ({ ms: lognormalMs(12, 0.35), fails: LEGACY_ERROR_RATE })),
        });
      } catch {
        // gate() rethrows the path's error; the simulated request answers 500 and moves on.
      }
      // Only user requests compute a total: the ramped flag's legacy path should read zero.
      if ("user_id" in context && Math.random() < 0.5) {
        try {
          await this.client.gate(TOTAL_FLAG, context, {
            newPath: () => this.query(TOTAL_FLAG, "new", false, () => this.orders.orderTotal("new"), () => ({ ms: lognormalMs(8, 0.3), fails: 0 })),
            legacyPath: () => this.query(TOTAL_FLAG, "legacy", false, () => this.orders.orderTotal("legacy"), () => ({ ms: lognormalMs(9, 0.3), fails: LEGACY_ERROR_RATE })),
          });
        } catch {
          // As above.
        }
      }
    } finally {
      this.inFlight -= 1;
    }
  }

  /**
   * One path's database work, then a wait to the profile's latency (the real statements take a
   * few ms of it), then a failure with the profile's probability: the guard sees the same
   * latency and errors as before the table was real. A failed statement fails the request too.
   */
  private async query(flag: string, path: Path, testTenant: boolean, work: () => Promise<void>, profile: () => { ms: number; fails: number }): Promise<void> {
    const { ms, fails } = profile();
    const counts = [this.window.flags[flag][path], this.total.flags[flag][path]];
    if (testTenant && flag === SCHEMA_FLAG) counts.push(this.window.testTenant[path], this.total.testTenant[path]);
    for (const c of counts) c.calls += 1;
    const started = performance.now();
    try {
      await work();
    } catch (error) {
      for (const c of counts) c.errors += 1;
      this.onDatabaseError(error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
    const rest = ms - (performance.now() - started);
    if (rest > 0) await sleep(rest);
    if (Math.random() < fails) {
      for (const c of counts) c.errors += 1;
      throw new Error(`${flag}: ${path} path query failed`);
    }
  }
}
