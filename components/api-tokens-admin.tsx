"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { FormEvent } from "react";
import type { ApiTokenView } from "@/lib/tokens/api-token-store";
import type { CreateApiTokenInput } from "@/lib/tokens/schemas";
import { ROLE_OPTIONS, adminQueries, toRole } from "./admin-queries";
import { apiFetch, type ApiError } from "./api-client";
import { ApiErrorBanner } from "./api-error-banner";
import type { EnvironmentOption } from "./environment-switcher";
import { FormField } from "./form-field";
import { RelativeTime } from "./relative-time";
import { RevocationStatus } from "./revoke-control";
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
const th = "px-4 py-2 text-left text-xs font-semibold tracking-wide text-slate-500 uppercase";
const td = "px-4 py-3 align-top";

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
  const queryClient = useQueryClient();
  const revoke = useMutation<{ token: ApiTokenView; changed: boolean }, ApiError, number>({
    mutationFn: tokensApi.revoke,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: adminQueries.apiTokens() }),
  });

  if (tokens.length === 0) {
    return (
      <div className="rounded-lg border border-dashed border-slate-300 bg-white p-10 text-center">
        <p className="font-medium">No API tokens yet.</p>
        <p className="mt-1 text-sm text-slate-600">Create one for CI or a script that changes flags through the API.</p>
      </div>
    );
  }
  return (
    <section className="space-y-3">
      {revoke.error ? <ApiErrorBanner error={revoke.error} /> : null}
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <thead className="bg-slate-50">
            <tr>
              <th className={th}>Name</th>
              <th className={th}>Role</th>
              <th className={th}>Environment</th>
              <th className={th}>Prefix</th>
              <th className={th}>Created by</th>
              <th className={th}>Created</th>
              <th className={th}>Last used</th>
              <th className={th}>Status</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {tokens.map((token) => (
              <tr key={token.id} data-testid="api-token-row" className={token.revokedAt ? "bg-slate-50 text-slate-500" : "hover:bg-slate-50"}>
                <td className={`${td} font-medium`}>{token.name}</td>
                <td className={td}>{token.role}</td>
                <td className={td}>{token.environment ?? <span className="text-slate-500">all</span>}</td>
                <td className={`${td} font-mono`}>{token.prefix}</td>
                <td className={td}>{token.createdBy}</td>
                <td className={td}><RelativeTime iso={token.createdAt} /></td>
                <td className={td}>{token.lastUsedAt ? <RelativeTime iso={token.lastUsedAt} /> : <span className="text-slate-400">never</span>}</td>
                <td className={td}>
                  <RevocationStatus
                    subject={`token "${token.name}"`}
                    revokedAt={token.revokedAt}
                    pending={revoke.isPending && revoke.variables === token.id}
                    onRevoke={() => revoke.mutate(token.id)}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
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
              {ROLE_OPTIONS.map((role) => (
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
