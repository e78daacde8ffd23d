import type { ApiError } from "@/components/shell/api-client";
import type { EnvironmentOption } from "@/components/shell/environment-switcher";
import { SelectField } from "@/components/ui/select-field";
import { notificationEventTypes, severities, type NotificationEventType, type Severity } from "@/lib/notification-events/notification-event";
import { describeMinSeverity } from "@/lib/notifications/destination-words";
import { EnvironmentChoices } from "./environment-choices";
import { EventTypeChoices } from "./event-type-choices";
import { fieldMessageUnder } from "./notifications-api";

export interface DestinationFilters {
  eventTypes: NotificationEventType[];
  environments: string[] | null;
  minSeverity: Severity;
  staleDigest: boolean;
}

/** The form paths these fields show their errors at. */
export const FILTER_FIELD_PATHS = ["eventTypes", "environments", "minSeverity", "staleDigest"];

/** What a destination hears, read from the form: none ticked is sent as is, for the API to refuse at the field. */
export function readFilters(form: FormData): DestinationFilters {
  const eventTypes = form.getAll("eventTypes").map(String);
  const minSeverity = String(form.get("minSeverity"));
  return {
    eventTypes: notificationEventTypes.filter((type) => eventTypes.includes(type)),
    environments: form.get("environmentScope") === "all" ? null : form.getAll("environments").map(String),
    minSeverity: severities.find((severity) => severity === minSeverity) ?? "info",
    staleDigest: form.get("staleDigest") === "true",
  };
}

interface DestinationFilterFieldsProps {
  idPrefix: string;
  environments: EnvironmentOption[];
  initial: DestinationFilters;
  error: ApiError | null;
}

/** Events, environments, minimum severity and the weekly digest: the same in the add and the edit form. */
export function DestinationFilterFields({ idPrefix, environments, initial, error }: DestinationFilterFieldsProps) {
  return (
    <>
      <EventTypeChoices idPrefix={idPrefix} chosen={initial.eventTypes} error={fieldMessageUnder(error, "eventTypes")} />
      <div className="grid gap-4 sm:grid-cols-2">
        <EnvironmentChoices idPrefix={idPrefix} environments={environments} chosen={initial.environments} error={fieldMessageUnder(error, "environments")} />
        <SelectField
          id={`${idPrefix}-min-severity`}
          name="minSeverity"
          label="Minimum severity"
          defaultValue={initial.minSeverity}
          hint="Events below it are not sent, even when ticked above."
          error={fieldMessageUnder(error, "minSeverity")}
        >
          {severities.map((severity) => (
            <option key={severity} value={severity}>{describeMinSeverity(severity)}</option>
          ))}
        </SelectField>
      </div>
      <div className="text-sm">
        <label className="flex items-start gap-2">
          <input type="checkbox" name="staleDigest" value="true" defaultChecked={initial.staleDigest} className="mt-0.5 size-4" aria-describedby={`${idPrefix}-stale-digest-hint`} />
          <span className="font-medium text-slate-800">Weekly stale digest</span>
        </label>
        <p id={`${idPrefix}-stale-digest-hint`} className="mt-1 pl-6 text-xs text-slate-500">
          Mondays after 09:00 UTC, the stale flags and overdue removal tickets of the environments above, for managers. None stale, no message.
        </p>
      </div>
    </>
  );
}

export const ALL_EVENTS_EVERYWHERE: DestinationFilters = { eventTypes: [...notificationEventTypes], environments: null, minSeverity: "info", staleDigest: false };
