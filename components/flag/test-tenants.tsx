"use client";

import type { FlagTarget } from "@rampart/sdk";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useCan } from "@/components/shell/session";
import { ApiErrorBanner } from "@/components/ui/api-error-banner";
import { formatAbsolute } from "@/components/ui/format";
import { ReasonInput } from "@/components/ui/reason-input";
import { countTargetValues, planRemoveTarget } from "@/lib/flags/test-tenant-edits";
import { TestTenantsAddForm } from "./test-tenants-add-form";
import { useSetTargets } from "./use-flag-mutations";
import { isVersionConflict, VersionConflictNote } from "./version-conflict";

interface TestTenantsProps {
  flagKey: string;
  env: string;
  targets: FlagTarget[];
  targetsSince: string | null;
  /** The state version this page shows, sent as If-Match. */
  version: number;
  rolloutBy: string;
  archived: boolean;
}

interface Removal {
  attribute: string;
  value: boolean;
  item: string;
}

/**
 * Named tenants (or users) the flag is forced on or off for, apart from the ramp: the seed's
 * "force it on for a test tenant and confirm both columns receive the write" before 1%.
 */
export function TestTenants({ flagKey, env, targets, targetsSince, version, rolloutBy, archived }: TestTenantsProps) {
  const router = useRouter();
  const canEdit = useCan("operator") && !archived;
  const [removal, setRemoval] = useState<Removal | null>(null);
  const rules = targets.filter((target) => target.values.length > 0);
  const count = countTargetValues(rules);

  return (
    <section id="test-tenants" data-testid="test-tenants" aria-labelledby="test-tenants-heading" className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
      <h2 id="test-tenants-heading" className="text-lg font-semibold">
        Test tenants <span className="text-sm font-normal text-slate-500">in {env}</span>
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        Forces the flag for named values, whatever the percentage: confirm both columns receive a test tenant&apos;s writes before the ramp
        starts. Their traffic is counted apart from the new-vs-legacy comparison.
      </p>

      {rules.length === 0 ? (
        <p data-testid="test-tenants-empty" className="mt-3 text-sm text-slate-500">None: everyone in {env} follows the ramp.</p>
      ) : (
        <>
          <p className="mt-3 text-xs text-slate-500">
            {count} {count === 1 ? "value" : "values"}
            {targetsSince ? ` · targets since ${formatAbsolute(targetsSince)}` : ""}
          </p>
          <ul className="mt-2 space-y-3">
            {rules.map((rule) => (
              <TargetRule
                key={`${rule.attribute}:${rule.value}`}
                rule={rule}
                canEdit={canEdit}
                removing={removal?.attribute === rule.attribute && removal.value === rule.value ? removal.item : null}
                onRemove={(item) => setRemoval({ attribute: rule.attribute, value: rule.value, item })}
              />
            ))}
          </ul>
        </>
      )}

      {canEdit && removal ? (
        <RemoveTestTenant
          key={`${removal.attribute}:${removal.value}:${removal.item}`}
          flagKey={flagKey}
          env={env}
          targets={targets}
          version={version}
          removal={removal}
          onDone={() => setRemoval(null)}
          onConflict={() => router.refresh()}
        />
      ) : null}

      {canEdit ? (
        <TestTenantsAddForm flagKey={flagKey} env={env} targets={targets} version={version} rolloutBy={rolloutBy} onConflict={() => router.refresh()} />
      ) : (
        <p className="mt-3 text-sm text-slate-500">
          {archived ? "The flag is archived; its test tenants can no longer change." : "Operators and admins can add and remove test tenants."}
        </p>
      )}
    </section>
  );
}

function TargetRule({ rule, canEdit, removing, onRemove }: { rule: FlagTarget; canEdit: boolean; removing: string | null; onRemove: (item: string) => void }) {
  const forced = rule.value ? "on" : "off";
  return (
    <li data-testid="test-tenant-rule" data-attribute={rule.attribute} data-value={forced}>
      <p className="text-sm">
        <code className="font-mono">{rule.attribute}</code>{" "}
        <span className={`rounded px-1.5 py-0.5 text-xs font-semibold ${rule.value ? "bg-indigo-100 text-indigo-800" : "bg-slate-200 text-slate-800"}`}>
          forced {forced}
        </span>{" "}
        <span className="text-slate-500">{rule.value ? "new path" : "legacy path"}</span>
      </p>
      <ul aria-label={`${rule.attribute} values forced ${forced}`} className="mt-1.5 flex flex-wrap gap-1.5">
        {rule.values.map((item) => (
          <li
            key={item}
            data-testid="test-tenant-chip"
            data-attribute={rule.attribute}
            data-value={item}
            className={`inline-flex items-center gap-1 rounded-full border py-0.5 pr-1 pl-2.5 font-mono text-xs ${
              removing === item ? "border-red-400 bg-red-50" : "border-slate-300 bg-slate-50"
            }`}
          >
            {item}
            {canEdit ? (
              <button
                type="button"
                data-testid="test-tenant-remove"
                aria-label={`Remove ${rule.attribute} ${item} (forced ${forced})`}
                title="Remove"
                onClick={() => onRemove(item)}
                className="rounded-full px-1.5 leading-5 text-slate-500 hover:bg-red-100 hover:text-red-800"
              >
                ×
              </button>
            ) : (
              <span className="pr-1.5" />
            )}
          </li>
        ))}
      </ul>
    </li>
  );
}

interface RemoveTestTenantProps {
  flagKey: string;
  env: string;
  targets: FlagTarget[];
  version: number;
  removal: Removal;
  onDone: () => void;
  onConflict: () => void;
}

/** Confirms one value's removal with a reason; the page's fresh targets decide what the PATCH sends. */
function RemoveTestTenant({ flagKey, env, targets, version, removal, onDone, onConflict }: RemoveTestTenantProps) {
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState<string | undefined>();
  const setTargets = useSetTargets({ flagKey, env });
  const planned = planRemoveTarget(targets, removal);
  const error = setTargets.error;
  const busy = setTargets.isPending || setTargets.isSuccess;
  const label = `${removal.attribute} ${removal.item}`;

  function confirm() {
    setTargets.reset();
    if (reason.trim() === "") {
      setReasonError("Say why: the reason goes into the audit trail.");
      return;
    }
    // Someone else removed it already (the page refreshed since): nothing left to send.
    if (planned.length === 0) return onDone();
    setTargets.mutate(
      { targets: planned, reason: reason.trim(), version },
      {
        onSuccess: onDone,
        onError: (failure) => {
          if (isVersionConflict(failure)) onConflict();
        },
      },
    );
  }

  return (
    <div data-testid="test-tenant-remove-panel" className="mt-3 rounded-lg border-2 border-red-600 bg-red-50 p-3">
      <p className="text-sm font-semibold text-red-900">
        Remove <span className="font-mono">{label}</span> in {env}?
      </p>
      <p className="mt-1 text-sm text-red-900">Its requests follow the ramp again.</p>
      <ReasonInput
        label="Reason (required, recorded in the audit trail)"
        placeholder="e.g. both columns receive the write"
        value={reason}
        onChange={(next) => {
          setReason(next);
          setReasonError(undefined);
        }}
        required
        error={reasonError ?? error?.fieldMessage("reason")}
      />
      <div className="mt-3 flex gap-2">
        <button
          type="button"
          data-testid="test-tenant-remove-confirm"
          disabled={busy}
          onClick={confirm}
          className="flex-1 rounded bg-red-600 px-4 py-2 text-sm font-bold text-white hover:bg-red-700 disabled:opacity-60"
        >
          {busy ? "Removing…" : `Remove ${removal.item}`}
        </button>
        <button
          type="button"
          disabled={setTargets.isPending}
          onClick={onDone}
          className="rounded border border-slate-300 bg-white px-4 py-2 text-sm font-medium hover:bg-slate-50 disabled:opacity-60"
        >
          Cancel
        </button>
      </div>
      {error ? (
        <div className="mt-3 space-y-2">
          <ApiErrorBanner error={error} shownPaths={["reason"]} />
          {isVersionConflict(error) ? <VersionConflictNote /> : null}
        </div>
      ) : null}
    </div>
  );
}
