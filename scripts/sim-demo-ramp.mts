// How long the demo's guarded ramp holds each step: the demo's traffic (scripts/demo/orders-service.ts:
// new path ~10 ms, legacy ~12 ms, lognormal σ 0.35, 0.2 % errors on both) through the real
// decideStep with the Demo plan, a window every 10 s, seeded. For choosing the demo's plan and rate;
// results in docs/benchmarks.md ("Guarded ramp demo").
//   node --import tsx scripts/sim-demo-ramp.mts            # 384 rollout requests/s (the demo's 400 less batch, unkeyed and test tenant)
//   SIM_RATE=192 node --import tsx scripts/sim-demo-ramp.mts
import { decideStep } from "@/lib/guard/decide-step";
import type { GuardWindow } from "@/lib/guard/guard-window";
import { RAMP_PRESETS } from "@/lib/guard/ramp-plan";
import { rolloutWindows, WINDOW_MS } from "@/testing/guard-traffic";
import { SeededRandom } from "@/testing/seeded-random";

const plan = RAMP_PRESETS.demo;
const rate = Number(process.env.SIM_RATE ?? 384);
const runs = Number(process.env.SIM_RUNS ?? 200);
const healthyNew = { medianMs: 10, sigma: 0.35, errorRate: 0.002 };
const healthyLegacy = { medianMs: 12, sigma: 0.35, errorRate: 0.002 };

for (const [step, percentage] of plan.steps.entries()) {
  if (step === plan.steps.length - 1) break;
  const passedAfterS: number[] = [];
  const other = { pause: 0, rollback: 0 };
  for (let run = 0; run < runs; run++) {
    const random = new SeededRandom(run * 31 + step);
    const start = Date.UTC(2026, 0, 1);
    const windows: GuardWindow[] = [];
    for (let t = start; ; ) {
      windows.push(...rolloutWindows(random, { windowStart: new Date(t), perSecond: rate, percentage, next: healthyNew, legacy: healthyLegacy }));
      t += WINDOW_MS;
      const { action } = decideStep({ plan, step, stepStartedAt: new Date(start), now: new Date(t), windows });
      if (action === "advance") passedAfterS.push((t - start) / 1000);
      else if (action === "pause" || action === "rollback") other[action] += 1;
      else continue;
      break;
    }
  }
  passedAfterS.sort((a, b) => a - b);
  const at = (q: number) => passedAfterS[Math.min(passedAfterS.length - 1, Math.floor(q * passedAfterS.length))] ?? NaN;
  console.log(
    `${rate} req/s at ${percentage}%: passed ${passedAfterS.length}/${runs} (median ${at(0.5)} s, p95 ${at(0.95)} s), paused ${other.pause}, rolled back ${other.rollback}`,
  );
}
