/**
 * The normal-mixture always-valid confidence interval (mSPRT) of Johari, Pekelis & Walsh,
 * "Always valid inference" (2017/2022): an interval that may be recomputed after every batch of
 * data and still excludes the true value, at any moment, with probability at most α.
 * docs/decisions/0007-ramp-guard-statistics.md says why the guard needs it and how it is tuned.
 */

export interface AlwaysValidInterval {
  lower: number;
  upper: number;
  /** Half the width: the estimate ± this. */
  halfWidth: number;
}

/**
 * θ̂ ± sqrt( V(V+τ²)/τ² · ( log((V+τ²)/V) + 2·log(1/α) ) ) for an estimate θ̂ with variance V,
 * mixing variance τ² and level α (the chance of ever excluding θ over the whole sequence).
 */
export function alwaysValidInterval(estimate: number, variance: number, tau: number, alpha: number): AlwaysValidInterval {
  const halfWidth = alwaysValidHalfWidth(variance, tau, alpha);
  return { lower: estimate - halfWidth, upper: estimate + halfWidth, halfWidth };
}

export function alwaysValidHalfWidth(variance: number, tau: number, alpha: number): number {
  if (!(variance > 0)) return variance === 0 ? 0 : Infinity;
  if (!(tau > 0)) throw new RangeError("tau must be positive");
  if (!(alpha > 0 && alpha < 1)) throw new RangeError("alpha must lie between 0 and 1");
  const tau2 = tau * tau;
  return Math.sqrt(((variance * (variance + tau2)) / tau2) * (Math.log((variance + tau2) / variance) + 2 * Math.log(1 / alpha)));
}

/**
 * The smallest factor f ≥ 1 by which the samples must grow (variance V/f) for the half-width
 * to fit within `room`, or null when no growth gets there (room ≤ 0) or it would take > 10⁶×.
 */
export function growthToFit(variance: number, tau: number, alpha: number, room: number): number | null {
  if (!(room > 0)) return null;
  if (alwaysValidHalfWidth(variance, tau, alpha) <= room) return 1;
  let high = 2;
  while (alwaysValidHalfWidth(variance / high, tau, alpha) > room) {
    high *= 2;
    if (high > 1e6) return null;
  }
  let low = high / 2;
  for (let i = 0; i < 40 && high - low > 1e-3 * low; i++) {
    const mid = (low + high) / 2;
    if (alwaysValidHalfWidth(variance / mid, tau, alpha) <= room) high = mid;
    else low = mid;
  }
  return high;
}
