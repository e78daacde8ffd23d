import { formatDay, formatDueIn } from "@/components/ui/format";
import { daysUntilDue, DUE_SOON_DAYS } from "@/lib/lifecycle/due-date";

/** A removal ticket's due day: amber when due soon, red and labelled once overdue. */
export function DueDate({ dueDate, now, showDistance = false }: { dueDate: string; now: Date; showDistance?: boolean }) {
  const days = daysUntilDue(dueDate, now);
  const tone = days < 0 ? "font-semibold text-red-700" : days <= DUE_SOON_DAYS ? "text-amber-700" : "";
  return (
    <span title={formatDueIn(days)} className={`whitespace-nowrap ${tone}`}>
      {formatDay(dueDate)}
      {showDistance ? (
        <span className="ml-1 text-xs">({formatDueIn(days)})</span>
      ) : days < 0 ? (
        <span className="ml-1 text-xs">(overdue)</span>
      ) : null}
    </span>
  );
}
