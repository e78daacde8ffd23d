"use client";

import { useMutation, useQuery, useQueryClient, type QueryKey } from "@tanstack/react-query";
import type { FormEvent, ReactNode } from "react";
import { apiFetch, type ApiError } from "@/components/shell/api-client";
import type { EnvironmentOption } from "@/components/shell/environment-switcher";
import { ApiErrorBanner } from "@/components/ui/api-error-banner";
import { FormField } from "@/components/ui/form-field";
import { SelectField } from "@/components/ui/select-field";
import { roles } from "@/lib/auth/roles";
import type { CredentialView } from "@/lib/credentials/credential-store";
import { CREDENTIAL_KINDS, type CredentialKind } from "@/lib/credentials/kinds";
import type { CreateCredentialInput } from "@/lib/credentials/schemas";
import { adminQueries, toRole } from "./admin-queries";
import { CredentialsTable } from "./credentials-table";
import { SecretOnce } from "./secret-once";

interface Created<K extends CredentialKind> {
  credential: CredentialView<K>;
  secret: string;
}

/** Everything the settings page of one kind shows differently: texts, scope fields and columns. */
interface KindUi<K extends CredentialKind> {
  queryKey: () => QueryKey;
  rowTestId: string;
  /** How the revoke confirmation names one row, e.g. `token "ci"`. */
  subject: (row: CredentialView<K>) => string;
  empty: { title: string; hint: string };
  columns: { header: string; cell: (row: CredentialView<K>) => ReactNode }[];
  text: { headingId: string; heading: string; blurb: string; nameLabel: string; namePlaceholder: string; submit: string; gridClassName: string };
  /** Paths shown at their fields, not in the banner; an unknown environment is a 404 naming `env`, shown at the select. */
  fieldPaths: string[];
  scopeFields: (environments: EnvironmentOption[], fieldError: (path: string) => string | undefined) => ReactNode;
  toInput: (form: FormData) => CreateCredentialInput<K>;
  createdTitle: (credential: CredentialView<K>) => ReactNode;
  /** How to use the new secret; `origin` is this page's, as the caller would reach Rampart. */
  createdUsage: (credential: CredentialView<K>, secret: string, origin: string) => ReactNode;
}

const formText = (form: FormData, path: string) => String(form.get(path) ?? "").trim();

const KIND_UI: { [K in CredentialKind]: KindUi<K> } = {
  "api-token": {
    queryKey: adminQueries.apiTokens,
    rowTestId: "api-token-row",
    subject: (token) => `token "${token.name}"`,
    empty: { title: "No API tokens yet.", hint: "Create one for CI or a script that changes flags through the API." },
    columns: [
      { header: "Role", cell: (token) => token.role },
      { header: "Environment", cell: (token) => token.environment ?? <span className="text-slate-500">all</span> },
    ],
    text: {
      headingId: "create-token-heading",
      heading: "Create an API token",
      blurb: "For CI and scripts: a token acts with its role, in one environment or all of them.",
      nameLabel: "Token name",
      namePlaceholder: "ci-deploy",
      submit: "Create token",
      gridClassName: "grid gap-4 sm:grid-cols-3",
    },
    fieldPaths: ["name", "role", "environment", "env"],
    scopeFields: (environments, fieldError) => (
      <>
        <SelectField name="role" label="Role" defaultValue="viewer" error={fieldError("role")}>
          {roles.map((role) => (
            <option key={role} value={role}>{role}</option>
          ))}
        </SelectField>
        <SelectField name="environment" label="Environment" defaultValue="" error={fieldError("environment") ?? fieldError("env")}>
          <option value="">All environments</option>
          {environments.map((environment) => (
            <option key={environment.key} value={environment.key}>{environment.name}</option>
          ))}
        </SelectField>
      </>
    ),
    /** Name and role are always sent so the API names them when wrong; "All environments" sends none. */
    toInput: (form) => ({ name: formText(form, "name"), role: toRole(formText(form, "role")), environment: formText(form, "environment") || undefined }),
    createdTitle: (token) => <>API token “{token.name}” created</>,
    createdUsage: (token, secret, origin) => (
      <>
        <p>
          It acts as <strong>{token.role}</strong> in {token.environment ? <strong>{token.environment}</strong> : "every environment"}. Send it as{" "}
          <code className="font-mono">Authorization: Bearer &lt;secret&gt;</code>, for example:
        </p>
        <pre className="overflow-x-auto rounded border border-amber-300 bg-white px-3 py-2 font-mono text-xs">
          {`curl -H "Authorization: Bearer ${secret}" ${origin}/api/flags`}
        </pre>
      </>
    ),
  },
  "sdk-key": {
    queryKey: adminQueries.sdkKeys,
    rowTestId: "sdk-key-row",
    subject: (sdkKey) => `SDK key "${sdkKey.name}"`,
    empty: { title: "No SDK keys yet.", hint: "Create one per service and environment that evaluates flags." },
    columns: [{ header: "Environment", cell: (sdkKey) => sdkKey.environment }],
    text: {
      headingId: "create-sdk-key-heading",
      heading: "Create an SDK key",
      blurb: "For a service that evaluates flags: one key per service and environment.",
      nameLabel: "Key name",
      namePlaceholder: "checkout-service",
      submit: "Create SDK key",
      gridClassName: "grid gap-4 sm:grid-cols-2",
    },
    fieldPaths: ["name", "environment", "env"],
    scopeFields: (environments, fieldError) => (
      <SelectField name="environment" label="Environment" defaultValue={environments[0]?.key ?? ""} error={fieldError("environment") ?? fieldError("env")}>
        {environments.map((environment) => (
          <option key={environment.key} value={environment.key}>{environment.name}</option>
        ))}
      </SelectField>
    ),
    toInput: (form) => ({ name: formText(form, "name"), environment: formText(form, "environment") }),
    createdTitle: (sdkKey) => <>SDK key “{sdkKey.name}” for {sdkKey.environment} created</>,
    createdUsage: (sdkKey, _secret, origin) => (
      <>
        <p>
          Give it to the service through its secret store; the service passes it to the SDK. It can only read{" "}
          <strong>{sdkKey.environment}</strong>&apos;s flag state and post that environment&apos;s metrics, nothing else.
        </p>
        <pre className="overflow-x-auto rounded border border-amber-300 bg-white px-3 py-2 font-mono text-xs">
          {`const client = createClient({ url: "${origin}", sdkKey: process.env.RAMPART_SDK_KEY });`}
        </pre>
      </>
    ),
  },
};

function credentialsApi<K extends CredentialKind>(kind: K) {
  const { path, one, many } = CREDENTIAL_KINDS[kind];
  return {
    list: async () => (await apiFetch<Record<typeof many, CredentialView<K>[]>>(path))[many],
    create: async (input: CreateCredentialInput<K>): Promise<Created<K>> => {
      const created = await apiFetch<Record<typeof one, CredentialView<K>> & { secret: string }>(path, { method: "POST", body: input });
      return { credential: created[one], secret: created.secret };
    },
    revoke: (id: number) => apiFetch<Record<typeof one, CredentialView<K>> & { changed: boolean }>(`${path}/${id}/revoke`, { method: "POST" }),
  };
}

interface CredentialsAdminProps<K extends CredentialKind> {
  kind: K;
  initialCredentials: CredentialView<K>[];
  environments: EnvironmentOption[];
}

/** The settings page of API tokens or SDK keys: the list with revoke, and the create form. */
export function CredentialsAdmin<K extends CredentialKind>({ kind, initialCredentials, environments }: CredentialsAdminProps<K>) {
  const ui: KindUi<K> = KIND_UI[kind];
  const api = credentialsApi(kind);
  const credentials = useQuery({ queryKey: ui.queryKey(), queryFn: api.list, initialData: initialCredentials });
  return (
    <div className="space-y-8">
      <CredentialsTable
        rows={credentials.data}
        rowTestId={ui.rowTestId}
        subject={ui.subject}
        empty={ui.empty}
        columns={ui.columns}
        revoke={api.revoke}
        queryKey={ui.queryKey()}
      />
      <CreateCredentialForm ui={ui} create={api.create} environments={environments} />
    </div>
  );
}

interface CreateCredentialFormProps<K extends CredentialKind> {
  ui: KindUi<K>;
  create: (input: CreateCredentialInput<K>) => Promise<Created<K>>;
  environments: EnvironmentOption[];
}

function CreateCredentialForm<K extends CredentialKind>({ ui, create: createCredential, environments }: CreateCredentialFormProps<K>) {
  const queryClient = useQueryClient();
  const create = useMutation<Created<K>, ApiError, CreateCredentialInput<K>>({
    mutationFn: createCredential,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ui.queryKey() }),
  });
  const fieldError = (path: string) => create.error?.fieldMessage(path);
  const { text } = ui;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    create.mutate(ui.toInput(new FormData(form)), { onSuccess: () => form.reset() });
  }

  return (
    <section className="space-y-4">
      {create.data ? <CreatedSecret ui={ui} created={create.data} onDismiss={create.reset} /> : null}
      <form onSubmit={submit} noValidate aria-labelledby={text.headingId} className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
        <h2 id={text.headingId} className="text-lg font-semibold">{text.heading}</h2>
        <p className="mt-1 text-sm text-slate-600">{text.blurb}</p>
        <fieldset disabled={create.isPending} className="mt-3 space-y-4">
          {create.error ? <ApiErrorBanner error={create.error} shownPaths={ui.fieldPaths} /> : null}
          <div className={text.gridClassName}>
            <FormField name="name" label={text.nameLabel} placeholder={text.namePlaceholder} autoComplete="off" error={fieldError("name")} />
            {ui.scopeFields(environments, fieldError)}
          </div>
          <button type="submit" className="rounded bg-slate-900 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-700 disabled:opacity-60">
            {create.isPending ? "Creating…" : text.submit}
          </button>
        </fieldset>
      </form>
    </section>
  );
}

function CreatedSecret<K extends CredentialKind>({ ui, created, onDismiss }: { ui: KindUi<K>; created: Created<K>; onDismiss: () => void }) {
  const { credential, secret } = created;
  // Rendered only after a create in the browser, so the page's own origin is at hand.
  const origin = window.location.origin;
  return (
    <SecretOnce title={ui.createdTitle(credential)} secret={secret} onDismiss={onDismiss}>
      {ui.createdUsage(credential, secret, origin)}
    </SecretOnce>
  );
}
