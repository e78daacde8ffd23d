"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { adminQueries } from "@/components/settings/admin-queries";
import type { ApiError } from "@/components/shell/api-client";
import type { EnvironmentOption } from "@/components/shell/environment-switcher";
import { ApiErrorBanner } from "@/components/ui/api-error-banner";
import { FormField } from "@/components/ui/form-field";
import { SelectField } from "@/components/ui/select-field";
import { DESTINATION_KIND_WORDS } from "@/lib/notifications/destination-words";
import { ALL_EVENTS_EVERYWHERE, DestinationFilterFields, FILTER_FIELD_PATHS, readFilters } from "./destination-filter-fields";
import { fieldMessageUnder, notificationsApi, pathsShownUnder, type DestinationWithSecret, type NewDestination } from "./notifications-api";
import { SigningSecretOnce } from "./signing-secret-once";

type DestinationKind = NewDestination["kind"];

const ID_PREFIX = "new-destination";
const FIELD_PATHS = ["name", "kind", "url", ...FILTER_FIELD_PATHS];
const URL_FIELD: Record<DestinationKind, { label: string; type: string; placeholder: string; hint: string }> = {
  // Anyone holding a Slack webhook URL can post to the channel: typed like a password.
  slack: {
    label: "Slack webhook URL",
    type: "password",
    placeholder: "https://hooks.slack.com/services/…",
    hint: "From the Slack app's Incoming Webhooks page. Stored encrypted; only its host is shown again.",
  },
  webhook: {
    label: "Webhook URL",
    type: "url",
    placeholder: "https://hooks.example.com/rampart",
    hint: "Rampart POSTs signed JSON here. Stored encrypted; only its host is shown again.",
  },
};

/** Adds a destination; a webhook's signing secret is shown once above the form. */
export function AddDestinationForm({ environments }: { environments: EnvironmentOption[] }) {
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<DestinationKind>("webhook");
  // A new form after each success, so every box is ticked again and the environment scope resets.
  const [formKey, setFormKey] = useState(0);
  const add = useMutation<DestinationWithSecret, ApiError, NewDestination>({
    mutationFn: notificationsApi.add,
    onSuccess: async () => {
      setFormKey((key) => key + 1);
      await queryClient.invalidateQueries({ queryKey: adminQueries.notificationDestinations() });
    },
  });
  const urlField = URL_FIELD[kind];

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    add.mutate({ name: String(form.get("name") ?? "").trim(), kind, url: String(form.get("url") ?? "").trim(), ...readFilters(form) });
  }

  return (
    <section className="space-y-4">
      {add.data?.signingSecret ? <SigningSecretOnce destinationName={add.data.name} secret={add.data.signingSecret} onDismiss={add.reset} /> : null}
      <form key={formKey} onSubmit={submit} noValidate aria-labelledby="add-destination-heading" className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
        <h2 id="add-destination-heading" className="text-lg font-semibold">Add a destination</h2>
        <p className="mt-1 text-sm text-slate-600">Where Rampart tells people about kills, guard decisions and teardown steps.</p>
        <fieldset disabled={add.isPending} className="mt-3 space-y-4">
          {add.error ? <ApiErrorBanner error={add.error} shownPaths={pathsShownUnder(add.error, FIELD_PATHS)} /> : null}
          <div className="grid gap-4 sm:grid-cols-2">
            <FormField id={`${ID_PREFIX}-name`} name="name" label="Name" placeholder="on-call" autoComplete="off" error={fieldMessageUnder(add.error, "name")} />
            <SelectField
              id={`${ID_PREFIX}-kind`}
              name="kind"
              label="Kind"
              value={kind}
              onChange={(event) => setKind(event.target.value === "slack" ? "slack" : "webhook")}
              error={fieldMessageUnder(add.error, "kind")}
            >
              <option value="slack">{DESTINATION_KIND_WORDS.slack}</option>
              <option value="webhook">{DESTINATION_KIND_WORDS.webhook}</option>
            </SelectField>
          </div>
          <FormField
            id={`${ID_PREFIX}-url`}
            name="url"
            label={urlField.label}
            type={urlField.type}
            placeholder={urlField.placeholder}
            hint={urlField.hint}
            autoComplete="off"
            spellCheck={false}
            error={fieldMessageUnder(add.error, "url")}
          />
          <DestinationFilterFields idPrefix={ID_PREFIX} environments={environments} initial={ALL_EVENTS_EVERYWHERE} error={add.error} />
          <button type="submit" className="rounded bg-slate-900 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-700 disabled:opacity-60">
            {add.isPending ? "Adding…" : "Add destination"}
          </button>
        </fieldset>
      </form>
    </section>
  );
}
