"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { roles } from "@/lib/auth/roles";
import type { ApiTokenView } from "@/lib/credentials/credential-store";
import type { CreateApiTokenInput } from "@/lib/credentials/schemas";
import { adminQueries, toRole } from "./admin-queries";
import { apiFetch, type ApiError } from "./api-client";
import { ApiErrorBanner } from "./api-error-banner";
import type { EnvironmentOption } from "./environment-switcher";
import { FormField } from "./form-field";
import { CredentialsTable } from "./credentials-table";
import { SecretOnce } from "./secret-once";
import { SelectField } from "./select-field";

interface CreatedToken {
  token: ApiTokenView;
  secret: string;
}

const tokensApi = {
  list: async () => (await apiFetch<{ tokens: ApiTokenView[] }>("/api/tokens")).tokens,
  create: (input: CreateApiTokenInput) => apiFetch<CreatedToken>("/api/tokens", { method: "POST", body: input }),
  revoke: (id: number) => apiFetch<{ token: ApiTokenView; changed: boolean }>(`/api/tokens/${id}/revoke`, { method: "POST" }),
};

// An unknown environment comes back as a 404 naming `env`, so that path sits at the select too.
const FIELD_PATHS = ["name", "role", "environment", "env"];

interface ApiTokensAdminProps {
  initialTokens: ApiTokenView[];
  environments: EnvironmentOption[];
}

export function ApiTokensAdmin({ initialTokens, environments }: ApiTokensAdminProps) {
  const tokens = useQuery({ queryKey: adminQueries.apiTokens(), queryFn: tokensApi.list, initialData: initialTokens });
  return (
    <div className="space-y-8">
      <ApiTokensTable tokens={tokens.data} />
      <CreateApiTokenForm environments={environments} />
    </div>
  );
}

function ApiTokensTable({ tokens }: { tokens: ApiTokenView[] }) {
  return (
    <CredentialsTable
      rows={tokens}
      rowTestId="api-token-row"
      subject={(token) => `token "${token.name}"`}
      empty={{ title: "No API tokens yet.", hint: "Create one for CI or a script that changes flags through the API." }}
      columns={[
        { header: "Role", cell: (token) => token.role },
        { header: "Environment", cell: (token) => token.environment ?? <span className="text-slate-500">all</span> },
      ]}
      revoke={tokensApi.revoke}
      queryKey={adminQueries.apiTokens()}
    />
  );
}


function CreateApiTokenForm({ environments }: { environments: EnvironmentOption[] }) {
  const queryClient = useQueryClient();
  const create = useMutation<CreatedToken, ApiError, CreateApiTokenInput>({
    mutationFn: tokensApi.create,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: adminQueries.apiTokens() }),
  });
  const fieldError = (path: string) => create.error?.fieldMessage(path);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    create.mutate(toCreateApiTokenInput(new FormData(form)), { onSuccess: () => form.reset() });
  }

  return (
    <section className="space-y-4">
      {create.data ? <CreatedTokenSecret created={create.data} onDismiss={create.reset} /> : null}
      <form onSubmit={submit} noValidate aria-labelledby="create-token-heading" className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
        <h2 id="create-token-heading" className="text-lg font-semibold">Create an API token</h2>
        <p className="mt-1 text-sm text-slate-600">For CI and scripts: a token acts with its role, in one environment or all of them.</p>
        <fieldset disabled={create.isPending} className="mt-3 space-y-4">
          {create.error ? <ApiErrorBanner error={create.error} shownPaths={FIELD_PATHS} /> : null}
          <div className="grid gap-4 sm:grid-cols-3">
            <FormField name="name" label="Token name" placeholder="ci-deploy" autoComplete="off" error={fieldError("name")} />
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
          </div>
          <button type="submit" className="rounded bg-slate-900 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-700 disabled:opacity-60">
            {create.isPending ? "Creating…" : "Create token"}
          </button>
        </fieldset>
      </form>
    </section>
  );
}

function CreatedTokenSecret({ created, onDismiss }: { created: CreatedToken; onDismiss: () => void }) {
  const { token, secret } = created;
  // Rendered only after a create in the browser, so the page's own origin is at hand.
  const origin = window.location.origin;
  return (
    <SecretOnce title={<>API token “{token.name}” created</>} secret={secret} onDismiss={onDismiss}>
      <p>
        It acts as <strong>{token.role}</strong> in {token.environment ? <strong>{token.environment}</strong> : "every environment"}. Send it as{" "}
        <code className="font-mono">Authorization: Bearer &lt;secret&gt;</code>, for example:
      </p>
      <pre className="overflow-x-auto rounded border border-amber-300 bg-white px-3 py-2 font-mono text-xs">
        {`curl -H "Authorization: Bearer ${secret}" ${origin}/api/flags`}
      </pre>
    </SecretOnce>
  );
}

/** Name and role are always sent so the API names them when wrong; "All environments" sends none. */
function toCreateApiTokenInput(form: FormData): CreateApiTokenInput {
  const text = (path: string) => String(form.get(path) ?? "").trim();
  return { name: text("name"), role: toRole(text("role")), environment: text("environment") || undefined };
}
