"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { adminQueries } from "@/components/settings/admin-queries";
import type { ApiError } from "@/components/shell/api-client";
import type { EnvironmentOption } from "@/components/shell/environment-switcher";
import { ApiErrorBanner } from "@/components/ui/api-error-banner";
import { FormField } from "@/components/ui/form-field";
import type { DestinationView } from "@/lib/notifications/destinations";
import { DestinationFilterFields, FILTER_FIELD_PATHS, readFilters } from "./destination-filter-fields";
import { fieldMessageUnder, notificationsApi, pathsShownUnder, type DestinationPatch, type DestinationWithSecret } from "./notifications-api";

const FIELD_PATHS = ["name", "url", "rotateSigningSecret", ...FILTER_FIELD_PATHS];

interface EditDestinationFormProps {
  destination: DestinationView;
  environments: EnvironmentOption[];
  onDone: (saved: DestinationWithSecret) => void;
  onCancel: () => void;
}

/** Edits one destination in place. The API never returns the URL, so an empty URL field keeps it. */
export function EditDestinationForm({ destination, environments, onDone, onCancel }: EditDestinationFormProps) {
  const queryClient = useQueryClient();
  const save = useMutation<DestinationWithSecret, ApiError, DestinationPatch>({
    mutationFn: notificationsApi.update,
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: adminQueries.notificationDestinations() });
      onDone(saved);
    },
  });
  const idPrefix = `destination-${destination.id}`;
  const headingId = `${idPrefix}-edit-heading`;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const url = String(form.get("url") ?? "").trim();
    save.mutate({
      id: destination.id,
      name: String(form.get("name") ?? "").trim(),
      ...(url ? { url } : {}),
      ...readFilters(form),
      ...(form.get("rotateSigningSecret") ? { rotateSigningSecret: true as const } : {}),
    });
  }

  return (
    <form onSubmit={submit} noValidate aria-labelledby={headingId} className="space-y-4">
      <h3 id={headingId} className="font-semibold">Edit “{destination.name}”</h3>
      <fieldset disabled={save.isPending} className="space-y-4">
        {save.error ? <ApiErrorBanner error={save.error} shownPaths={pathsShownUnder(save.error, FIELD_PATHS)} /> : null}
        <div className="grid gap-4 sm:grid-cols-2">
          <FormField id={`${idPrefix}-name`} name="name" label="Name" defaultValue={destination.name} autoComplete="off" error={fieldMessageUnder(save.error, "name")} />
          <FormField
            id={`${idPrefix}-url`}
            name="url"
            label="New URL"
            // The Slack URL is a secret; a webhook URL is not, but neither is ever shown back.
            type={destination.kind === "slack" ? "password" : "url"}
            placeholder="unchanged"
            hint={`Leave empty to keep sending to ${destination.urlHost}.`}
            autoComplete="off"
            spellCheck={false}
            error={fieldMessageUnder(save.error, "url")}
          />
        </div>
        <DestinationFilterFields
          idPrefix={idPrefix}
          environments={environments}
          initial={{ eventTypes: destination.eventTypes, environments: destination.environments, minSeverity: destination.minSeverity, staleDigest: destination.staleDigest }}
          error={save.error}
        />
        {destination.kind === "webhook" ? (
          <div className="text-sm">
            <label className="flex items-start gap-2">
              <input type="checkbox" name="rotateSigningSecret" value="true" className="mt-0.5 size-4" aria-describedby={`${idPrefix}-rotate-hint`} />
              <span className="font-medium text-slate-800">Rotate the signing secret</span>
            </label>
            <p id={`${idPrefix}-rotate-hint`} className="mt-1 pl-6 text-xs text-slate-500">
              The new secret is shown once; the current one stops signing at once.
            </p>
            {fieldMessageUnder(save.error, "rotateSigningSecret") ? <p className="mt-1 text-red-700">{fieldMessageUnder(save.error, "rotateSigningSecret")}</p> : null}
          </div>
        ) : null}
        <div className="flex flex-wrap gap-2">
          <button type="submit" className="rounded bg-slate-900 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-700 disabled:opacity-60">
            {save.isPending ? "Saving…" : "Save changes"}
          </button>
          <button type="button" onClick={onCancel} className="rounded border border-slate-300 bg-white px-4 py-2 text-sm hover:bg-slate-50">
            Cancel
          </button>
        </div>
      </fieldset>
    </form>
  );
}
