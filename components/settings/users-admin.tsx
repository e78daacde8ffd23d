"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import type { FormEvent } from "react";
import { apiFetch, type ApiError } from "@/components/shell/api-client";
import { useSignedInUser } from "@/components/shell/session";
import { ApiErrorBanner } from "@/components/ui/api-error-banner";
import { FormField } from "@/components/ui/form-field";
import { RelativeTime } from "@/components/ui/relative-time";
import { SelectField } from "@/components/ui/select-field";
import { roles } from "@/lib/auth/roles";
import type { CreateUserInput, UpdateUserInput } from "@/lib/users/schemas";
import type { UserView } from "@/lib/users/user-store";
import { adminQueries, toRole } from "./admin-queries";
import { SecretOnce } from "./secret-once";

interface CreatedUser {
  user: UserView;
  initialPassword: string | null;
}
type UserPatch = UpdateUserInput & { id: string };

const usersApi = {
  list: async () => (await apiFetch<{ users: UserView[] }>("/api/users")).users,
  create: (input: CreateUserInput) => apiFetch<CreatedUser>("/api/users", { method: "POST", body: input }),
  update: ({ id, ...patch }: UserPatch) =>
    apiFetch<{ user: UserView; changed: boolean }>(`/api/users/${encodeURIComponent(id)}`, { method: "PATCH", body: patch }),
};

const FIELD_PATHS = ["email", "name", "role", "password"];
const th = "px-4 py-2 text-left text-xs font-semibold tracking-wide text-slate-500 uppercase";
// Rows hold a select and buttons, so cells centre on them rather than top-align like the flag tables.
const td = "px-4 py-3 align-middle";

export function UsersAdmin({ initialUsers }: { initialUsers: UserView[] }) {
  const users = useQuery({ queryKey: adminQueries.users(), queryFn: usersApi.list, initialData: initialUsers });
  return (
    <div className="space-y-8">
      <UsersTable users={users.data} />
      <AddUserForm />
    </div>
  );
}

function UsersTable({ users }: { users: UserView[] }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const me = useSignedInUser();
  const update = useMutation<{ user: UserView; changed: boolean }, ApiError, UserPatch>({
    mutationFn: usersApi.update,
    onSuccess: async ({ user }) => {
      await queryClient.invalidateQueries({ queryKey: adminQueries.users() });
      // Demoting or disabling yourself changes what this session may see; let the server decide.
      if (user.email === me.email) router.refresh();
    },
  });
  const pendingFor = (id: string) => (update.isPending && update.variables.id === id ? update.variables : undefined);

  return (
    <section className="space-y-3">
      {update.error ? <ApiErrorBanner error={update.error} /> : null}
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <thead className="bg-slate-50">
            <tr>
              <th className={th}>Email</th>
              <th className={th}>Name</th>
              <th className={th}>Role</th>
              <th className={th}>Status</th>
              <th className={th}>Created</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {users.map((user) => {
              const pending = pendingFor(user.id);
              const emailId = `user-${user.id}-email`;
              return (
                <tr key={user.id} data-testid="user-row" className={user.disabled ? "bg-slate-50 text-slate-500" : "hover:bg-slate-50"}>
                  <td className={td}>
                    <span id={emailId} className="font-medium">{user.email}</span>
                    {user.email === me.email ? <span className="ml-2 text-xs text-slate-500">(you)</span> : null}
                  </td>
                  <td className={td}>{user.name}</td>
                  <td className={td}>
                    {/* Named by the email, not "Role", so the add form's Role label stays unique on the page. */}
                    <select
                      aria-labelledby={emailId}
                      value={pending?.role ?? user.role}
                      disabled={pending !== undefined}
                      onChange={(event) => update.mutate({ id: user.id, role: toRole(event.target.value) })}
                      className="rounded border border-slate-300 bg-white px-2 py-1 text-sm disabled:opacity-60"
                    >
                      {roles.map((role) => (
                        <option key={role} value={role}>{role}</option>
                      ))}
                    </select>
                  </td>
                  <td className={td}>
                    <span className="flex items-center gap-3">
                      <span className={`rounded px-1.5 py-0.5 text-xs font-semibold ${user.disabled ? "bg-slate-200 text-slate-700" : "bg-emerald-100 text-emerald-800"}`}>
                        {user.disabled ? "disabled" : "enabled"}
                      </span>
                      <button
                        type="button"
                        disabled={pending !== undefined}
                        onClick={() => update.mutate({ id: user.id, disabled: !user.disabled })}
                        className="text-sm font-semibold text-blue-700 hover:underline disabled:opacity-60"
                      >
                        {user.disabled ? "Enable" : "Disable"}
                      </button>
                    </span>
                  </td>
                  <td className={td}><RelativeTime iso={user.createdAt} /></td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function AddUserForm() {
  const queryClient = useQueryClient();
  const create = useMutation<CreatedUser, ApiError, CreateUserInput>({
    mutationFn: usersApi.create,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: adminQueries.users() }),
  });
  const fieldError = (path: string) => create.error?.fieldMessage(path);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    create.mutate(toCreateUserInput(new FormData(form)), { onSuccess: () => form.reset() });
  }

  return (
    <section className="space-y-4">
      {create.data?.initialPassword ? (
        <SecretOnce
          title={<>Password for {create.data.user.email}</>}
          secret={create.data.initialPassword}
          valueTestId="initial-password"
          onDismiss={create.reset}
        >
          <p>Hand it to them over a private channel; they sign in with their email and this password.</p>
        </SecretOnce>
      ) : create.data ? (
        <p role="status" className="rounded border border-emerald-300 bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
          Added {create.data.user.email}; they sign in with the password you set.
        </p>
      ) : null}
      <form onSubmit={submit} noValidate aria-labelledby="add-user-heading" className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
        <h2 id="add-user-heading" className="text-lg font-semibold">Add a user</h2>
        <fieldset disabled={create.isPending} className="mt-3 space-y-4">
          {create.error ? <ApiErrorBanner error={create.error} shownPaths={FIELD_PATHS} /> : null}
          <div className="grid gap-4 sm:grid-cols-2">
            <FormField name="email" label="Email" type="email" autoComplete="off" error={fieldError("email")} />
            <FormField name="name" label="Name" hint="Optional; defaults to the part of the email before @." error={fieldError("name")} />
            <SelectField name="role" label="Role" defaultValue="viewer" error={fieldError("role")}>
              {roles.map((role) => (
                <option key={role} value={role}>{role}</option>
              ))}
            </SelectField>
            <FormField name="password" label="Password" type="password" autoComplete="new-password" hint="Optional; leave empty to generate one." error={fieldError("password")} />
          </div>
          <button type="submit" className="rounded bg-slate-900 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-700 disabled:opacity-60">
            {create.isPending ? "Adding…" : "Add user"}
          </button>
        </fieldset>
      </form>
    </section>
  );
}

/** Email and role are always sent so the API names them when wrong; blank optional fields are left out. */
function toCreateUserInput(form: FormData): CreateUserInput {
  const text = (path: string) => String(form.get(path) ?? "").trim();
  const password = String(form.get("password") ?? "");
  return { email: text("email"), name: text("name") || undefined, role: toRole(text("role")), password: password || undefined };
}
