/** A positive number from the environment, or `fallback` when it is unset, not a number or not above 0. */
export function positiveFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}
