"use client";

import type { FlagTarget } from "@rampart/sdk";
import { useState, type FormEvent } from "react";
import { ApiErrorBanner } from "@/components/ui/api-error-banner";
import { FormField } from "@/components/ui/form-field";
import { ReasonInput } from "@/components/ui/reason-input";
import { parseTargetValues, planAddTargets } from "@/lib/flags/test-tenant-edits";
import { isVersionConflict, VersionConflictNote } from "./version-conflict";
import { useSetTargets } from "./use-flag-mutations";

const ATTRIBUTE_PATH = "targets.0.attribute";
const VALUES_PATH = "targets.0.values";

interface TestTenantsAddFormProps {
  flagKey: string;
  env: string;
  targets: FlagTarget[];
  version: number;
  /** The flag's rollout attribute, the usual one to target (tenant_id, user_id). */
  rolloutBy: string;
  /** Called on a version conflict: the page loads the current state, the form keeps what was typed. */
  onConflict: () => void;
}

/** Forces the flag on (or off) for more values of an attribute, as one PATCH with If-Match. */
export function TestTenantsAddForm({ flagKey, env, targets, version, rolloutBy, onConflict }: TestTenantsAddFormProps) {
  const [attribute, setAttribute] = useState(rolloutBy);
  const [valuesText, setValuesText] = useState("");
  const [value, setValue] = useState(true);
  const [reason, setReason] = useState("");
  const [draftErrors, setDraftErrors] = useState<{ attribute?: string; values?: string; reason?: string }>({});
  const [nothingToDo, setNothingToDo] = useState<string | null>(null);
  const setTargets = useSetTargets({ flagKey, env });
  const values = parseTargetValues(valuesText);
  const plan = planAddTargets(targets, { attribute: attribute.trim(), value, values });
  const error = setTargets.error;
  const sent = setTargets.variables?.targets[0]?.values ?? [];
  const valuesError = draftErrors.values ?? (error ? valuesMessage(error.details, sent) : undefined);
  // Until the refreshed page shows the new version, a second edit would only meet a conflict.
  const busy = setTargets.isPending || (setTargets.isSuccess && setTargets.data.changed && setTargets.variables.version === version);

  function edit<T>(set: (next: T) => void) {
    return (next: T) => {
      set(next);
      setDraftErrors({});
      setNothingToDo(null);
    };
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setTargets.reset();
    const draft = {
      attribute: attribute.trim() === "" ? `Name the attribute the SDK context carries, e.g. ${rolloutBy}.` : undefined,
      values: values.length === 0 ? "Enter at least one value, e.g. t-42." : undefined,
      reason: reason.trim() === "" ? "Say why: the reason goes into the audit trail." : undefined,
    };
    setDraftErrors(draft);
    if (draft.attribute || draft.values || draft.reason) return;
    if (plan.targets.length === 0) {
      setNothingToDo(`Already forced ${value ? "on" : "off"}: ${plan.unchanged.join(", ")}.`);
      return;
    }
    setTargets.mutate(
      { targets: plan.targets, reason: reason.trim(), version },
      {
        onSuccess: () => {
          setValuesText("");
          setReason("");
        },
        onError: (failure) => {
          if (isVersionConflict(failure)) onConflict();
        },
      },
    );
  }

  const shownPaths = error ? error.details.map((d) => d.path).filter((path) => path === ATTRIBUTE_PATH || path === "reason" || isValuesPath(path)) : [];

  return (
    <form onSubmit={submit} noValidate data-testid="test-tenants-add" aria-label={`Add test tenants in ${env}`} className="mt-4 border-t border-slate-200 pt-4">
      <h3 className="text-sm font-semibold">Add test tenants</h3>
      <fieldset disabled={busy} className="mt-2 space-y-3 disabled:opacity-60">
        <FormField
          name={ATTRIBUTE_PATH}
          label="Attribute"
          hint={`A key of the SDK context; the ramp uses ${rolloutBy}.`}
          value={attribute}
          onChange={(event) => edit(setAttribute)(event.target.value)}
          error={draftErrors.attribute ?? error?.fieldMessage(ATTRIBUTE_PATH)}
          autoComplete="off"
          className="font-mono"
        />
        <FormField
          name={VALUES_PATH}
          label="Values"
          hint="Separate with commas or spaces, e.g. t-42, t-43."
          placeholder="t-42, t-43"
          value={valuesText}
          onChange={(event) => edit(setValuesText)(event.target.value)}
          error={valuesError}
          autoComplete="off"
          className="font-mono"
        />
        <fieldset>
          <legend className="text-sm font-medium text-slate-800">Force the flag</legend>
          <div className="mt-1 flex gap-4 text-sm">
            {[true, false].map((option) => (
              <label key={String(option)} className="flex items-center gap-1.5">
                <input
                  type="radio"
                  name="targets.0.value"
                  data-testid={`test-tenants-add-${option ? "on" : "off"}`}
                  checked={value === option}
                  onChange={() => edit(setValue)(option)}
                  className="accent-indigo-700"
                />
                {option ? "on (new path)" : "off (legacy path)"}
              </label>
            ))}
          </div>
        </fieldset>
        {plan.moved.length > 0 ? (
          <p className="text-sm text-slate-600">
            Forced {value ? "off" : "on"} now, moves to {value ? "on" : "off"}: <span className="font-mono">{plan.moved.join(", ")}</span>
          </p>
        ) : null}
        <ReasonInput
          label="Reason (required, recorded in the audit trail)"
          placeholder="e.g. confirm both columns receive t-42's writes"
          value={reason}
          onChange={edit(setReason)}
          required
          error={draftErrors.reason ?? error?.fieldMessage("reason")}
        />
        <button
          type="submit"
          data-testid="test-tenants-add-submit"
          className="w-full rounded bg-slate-900 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-700 disabled:cursor-not-allowed disabled:bg-slate-400"
        >
          {busy ? "Saving…" : `Force ${value ? "on" : "off"}${values.length > 0 ? ` for ${values.length} ${values.length === 1 ? "value" : "values"}` : ""}`}
        </button>
      </fieldset>
      {nothingToDo ? <p className="mt-2 text-sm text-slate-600">{nothingToDo}</p> : null}
      {error ? (
        <div className="mt-3 space-y-2">
          <ApiErrorBanner error={error} shownPaths={shownPaths} />
          {isVersionConflict(error) ? <VersionConflictNote /> : null}
        </div>
      ) : null}
      {setTargets.data && !setTargets.data.changed ? <p className="mt-2 text-sm text-slate-600">Nothing changed: those values were already there.</p> : null}
    </form>
  );
}

function isValuesPath(path: string): boolean {
  return path === VALUES_PATH || path.startsWith(`${VALUES_PATH}.`);
}

/** `targets.0.values.1` names the second value sent; the message quotes it, since the list was merged. */
function valuesMessage(details: { path: string; message: string }[], sent: string[]): string | undefined {
  const messages = details
    .filter((detail) => isValuesPath(detail.path))
    .map((detail) => {
      const index = Number(detail.path.slice(VALUES_PATH.length + 1));
      const named = detail.path !== VALUES_PATH && Number.isInteger(index) ? sent[index] : undefined;
      return named === undefined ? detail.message : `"${named}" ${detail.message}`;
    });
  return messages.length > 0 ? messages.join("; ") : undefined;
}
