import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/shell/sign-in-form";
import { oidcSettings } from "@/lib/auth/auth";
import { currentUser } from "@/lib/auth/current-user";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  // Only same-site paths, so the page cannot be used to bounce people elsewhere.
  const requested = (await searchParams).next;
  const next = requested?.startsWith("/") && !requested.startsWith("//") ? requested : "/";
  if (await currentUser()) redirect(next);
  return (
    <main className="mx-auto mt-24 max-w-sm rounded-lg border border-slate-200 bg-white p-8 shadow-sm">
      <h1 className="text-2xl font-bold tracking-tight">Rampart</h1>
      <p className="mt-1 mb-6 text-sm text-slate-600">Sign in to watch and steer rollouts.</p>
      <SignInForm next={next} ssoName={oidcSettings()?.name ?? null} />
    </main>
  );
}
