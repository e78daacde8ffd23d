/** The standard ramp (docs/design.md): each step is held and watched before the next. */
export const RAMP_STEPS = [1, 5, 25, 50, 100];

/** The standard steps strictly between two percentages on the way up; none on the way down. */
export function skippedRampSteps(from: number, to: number): number[] {
  return RAMP_STEPS.filter((step) => step > from && step < to);
}
