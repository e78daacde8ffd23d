"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { FormEvent } from "react";
import type { SdkKeyView } from "@/lib/credentials/credential-store";
import type { CreateSdkKeyInput } from "@/lib/credentials/schemas";
import { adminQueries } from "./admin-queries";
import { apiFetch, type ApiError } from "./api-client";
import { ApiErrorBanner } from "./api-error-banner";
import type { EnvironmentOption } from "./environment-switcher";
import { FormField } from "./form-field";
import { CredentialsTable } from "./credentials-table";
import { SecretOnce } from "./secret-once";
import { SelectField } from "./select-field";

interface CreatedSdkKey {
  sdkKey: SdkKeyView;
  secret: string;
}

const sdkKeysApi = {
  list: async () => (await apiFetch<{ sdkKeys: SdkKeyView[] }>("/api/sdk-keys")).sdkKeys,
  create: (input: CreateSdkKeyInput) => apiFetch<CreatedSdkKey>("/api/sdk-keys", { method: "POST", body: input }),
  revoke: (id: number) => apiFetch<{ sdkKey: SdkKeyView; changed: boolean }>(`/api/sdk-keys/${id}/revoke`, { method: "POST" }),
};

// An unknown environment comes back as a 404 naming `env`, so that path sits at the select too.
const FIELD_PATHS = ["name", "environment", "env"];

interface SdkKeysAdminProps {
  initialSdkKeys: SdkKeyView[];
  environments: EnvironmentOption[];
}

export function SdkKeysAdmin({ initialSdkKeys, environments }: SdkKeysAdminProps) {
  const sdkKeys = useQuery({ queryKey: adminQueries.sdkKeys(), queryFn: sdkKeysApi.list, initialData: initialSdkKeys });
  return (
    <div className="space-y-8">
      <SdkKeysTable sdkKeys={sdkKeys.data} />
      <CreateSdkKeyForm environments={environments} />
    </div>
  );
}

function SdkKeysTable({ sdkKeys }: { sdkKeys: SdkKeyView[] }) {
  return (
    <CredentialsTable
      rows={sdkKeys}
      rowTestId="sdk-key-row"
      subject={(sdkKey) => `SDK key "${sdkKey.name}"`}
      empty={{ title: "No SDK keys yet.", hint: "Create one per service and environment that evaluates flags." }}
      columns={[{ header: "Environment", cell: (sdkKey) => sdkKey.environment }]}
      revoke={sdkKeysApi.revoke}
      queryKey={adminQueries.sdkKeys()}
    />
  );
}


function CreateSdkKeyForm({ environments }: { environments: EnvironmentOption[] }) {
  const queryClient = useQueryClient();
  const create = useMutation<CreatedSdkKey, ApiError, CreateSdkKeyInput>({
    mutationFn: sdkKeysApi.create,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: adminQueries.sdkKeys() }),
  });
  const fieldError = (path: string) => create.error?.fieldMessage(path);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const text = (path: string) => String(data.get(path) ?? "").trim();
    create.mutate({ name: text("name"), environment: text("environment") }, { onSuccess: () => form.reset() });
  }

  return (
    <section className="space-y-4">
      {create.data ? <CreatedSdkKeySecret created={create.data} onDismiss={create.reset} /> : null}
      <form onSubmit={submit} noValidate aria-labelledby="create-sdk-key-heading" className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
        <h2 id="create-sdk-key-heading" className="text-lg font-semibold">Create an SDK key</h2>
        <p className="mt-1 text-sm text-slate-600">For a service that evaluates flags: one key per service and environment.</p>
        <fieldset disabled={create.isPending} className="mt-3 space-y-4">
          {create.error ? <ApiErrorBanner error={create.error} shownPaths={FIELD_PATHS} /> : null}
          <div className="grid gap-4 sm:grid-cols-2">
            <FormField name="name" label="Key name" placeholder="checkout-service" autoComplete="off" error={fieldError("name")} />
            <SelectField name="environment" label="Environment" defaultValue={environments[0]?.key ?? ""} error={fieldError("environment") ?? fieldError("env")}>
              {environments.map((environment) => (
                <option key={environment.key} value={environment.key}>{environment.name}</option>
              ))}
            </SelectField>
          </div>
          <button type="submit" className="rounded bg-slate-900 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-700 disabled:opacity-60">
            {create.isPending ? "Creating…" : "Create SDK key"}
          </button>
        </fieldset>
      </form>
    </section>
  );
}

function CreatedSdkKeySecret({ created, onDismiss }: { created: CreatedSdkKey; onDismiss: () => void }) {
  const { sdkKey, secret } = created;
  // Rendered only after a create in the browser, so the page's own origin is at hand.
  const origin = window.location.origin;
  return (
    <SecretOnce title={<>SDK key “{sdkKey.name}” for {sdkKey.environment} created</>} secret={secret} onDismiss={onDismiss}>
      <p>
        Give it to the service through its secret store; the service passes it to the SDK. It can only read{" "}
        <strong>{sdkKey.environment}</strong>&apos;s flag state and post that environment&apos;s metrics, nothing else.
      </p>
      <pre className="overflow-x-auto rounded border border-amber-300 bg-white px-3 py-2 font-mono text-xs">
        {`const client = createClient({ url: "${origin}", sdkKey: process.env.RAMPART_SDK_KEY });`}
      </pre>
    </SecretOnce>
  );
}
