/** A ticket due within this many days is shown as due soon. */
export const DUE_SOON_DAYS = 14;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Whole UTC days from today to the ticket's due day: 0 on the due day, negative once it has passed. */
export function daysUntilDue(dueDate: string, now: Date): number {
  return Math.round((utcDay(new Date(dueDate)) - utcDay(now)) / DAY_MS);
}

function utcDay(date: Date): number {
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
}
