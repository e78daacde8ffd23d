import type { Metadata } from "next";
import type { ReactNode } from "react";
import { AppHeader } from "@/components/app-header";
import { Providers } from "@/components/providers";
import { getDb } from "@/lib/db/client";
import { listEnvironments } from "@/lib/environments/environment-store";
import "./globals.css";

export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: { default: "Rampart", template: "%s · Rampart" },
  description: "Rollout operations for schema-backed feature flags",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const environments = await listEnvironments(await getDb());
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased">
        <Providers>
          <AppHeader environments={environments.map(({ key, name }) => ({ key, name }))} />
          <main className="mx-auto max-w-6xl px-6 py-8">{children}</main>
        </Providers>
      </body>
    </html>
  );
}
