"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { OIDC_PROVIDER_ID } from "@/lib/auth/oidc-provider";
import { authClient } from "./auth-client";

/** `ssoName`: the single sign-on button's label, when an OIDC issuer is configured. */
export function SignInForm({ next, ssoName }: { next: string; ssoName: string | null }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const { error: failure } = await authClient.signIn.email({
      email: String(form.get("email")),
      password: String(form.get("password")),
    });
    setPending(false);
    if (failure) {
      // Rampart's own 429s name when to retry; any other (none expected) still says to wait.
      const tooMany = failure.message?.includes("Try again in") ? failure.message : "Too many failed sign-ins. Wait a minute and try again.";
      setError(failure.status === 429 ? tooMany : (failure.message ?? "Sign-in failed."));
      return;
    }
    router.replace(next);
    router.refresh();
  }

  async function signInWithSso() {
    setError(null);
    const { error: failure } = await authClient.signIn.social({ provider: OIDC_PROVIDER_ID, callbackURL: next });
    if (failure) setError(failure.message ?? "Single sign-on failed.");
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4">
      {ssoName ? (
        <>
          <button type="button" onClick={signInWithSso} className="w-full rounded border border-slate-300 px-4 py-2 font-semibold hover:bg-slate-50">
            Sign in with {ssoName}
          </button>
          <p className="text-center text-xs text-slate-500">or with your Rampart password</p>
        </>
      ) : null}
      <label className="block text-sm font-medium">
        Email
        <input name="email" type="email" required autoComplete="username" className="mt-1 block w-full rounded border border-slate-300 px-3 py-2" />
      </label>
      <label className="block text-sm font-medium">
        Password
        <input name="password" type="password" required autoComplete="current-password" className="mt-1 block w-full rounded border border-slate-300 px-3 py-2" />
      </label>
      {error ? (
        <p role="alert" className="rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800">
          {error}
        </p>
      ) : null}
      <button type="submit" disabled={pending} className="w-full rounded bg-slate-900 px-4 py-2 font-semibold text-white hover:bg-slate-700 disabled:opacity-60">
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
