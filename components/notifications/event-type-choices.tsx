import { notificationEventTypes, SEVERITY_OF, type NotificationEventType, type Severity } from "@/lib/notification-events/notification-event";
import { eventTypeLabel } from "@/lib/notifications/destination-words";

const SEVERITY_TAG: Record<Severity, string> = {
  critical: "bg-red-100 text-red-900",
  warning: "bg-amber-100 text-amber-900",
  info: "bg-slate-100 text-slate-700",
};

/** The severity in words; the colour only repeats it. */
export function SeverityTag({ severity }: { severity: Severity }) {
  return <span className={`rounded px-1.5 py-0.5 text-xs font-semibold ${SEVERITY_TAG[severity]}`}>{severity}</span>;
}

interface EventTypeChoicesProps {
  idPrefix: string;
  chosen: readonly NotificationEventType[];
  error?: string;
}

/** One checkbox per event type (`eventTypes` in the form), each with the severity it is sent at. */
export function EventTypeChoices({ idPrefix, chosen, error }: EventTypeChoicesProps) {
  const errorId = `${idPrefix}-event-types-error`;
  return (
    <fieldset className="text-sm" aria-describedby={error ? errorId : undefined}>
      <legend className="font-medium text-slate-800">Events</legend>
      <ul className="mt-1 grid gap-x-4 gap-y-1 sm:grid-cols-2">
        {notificationEventTypes.map((type) => (
          <li key={type}>
            <label className="flex items-center gap-2 py-0.5">
              <input type="checkbox" name="eventTypes" value={type} defaultChecked={chosen.includes(type)} className="size-4" />
              <span>{eventTypeLabel(type)}</span>
              <SeverityTag severity={SEVERITY_OF[type]} />
            </label>
          </li>
        ))}
      </ul>
      {error ? <p id={errorId} className="mt-1 text-red-700">{error}</p> : null}
    </fieldset>
  );
}
