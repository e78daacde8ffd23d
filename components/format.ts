const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];
const relativeFormat = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

/** "3 minutes ago", "in 2 weeks"; anything under a minute is "just now". */
export function formatRelative(iso: string, now: Date): string {
  const seconds = (new Date(iso).getTime() - now.getTime()) / 1000;
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return relativeFormat.format(Math.trunc(seconds / size), unit);
  }
  return "just now";
}

/** "2025-06-15 14:03 UTC": one clock for everyone on the incident call. */
export function formatAbsolute(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** The calendar day (UTC) of a due date. */
export function formatDay(iso: string): string {
  return iso.slice(0, 10);
}

export function formatPercentage(percentage: number): string {
  return `${percentage}%`;
}

export function formatDueIn(days: number): string {
  if (days === 0) return "due today";
  if (days > 0) return `due in ${days} day${days === 1 ? "" : "s"}`;
  return `overdue by ${-days} day${days === -1 ? "" : "s"}`;
}
