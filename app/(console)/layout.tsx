import type { ReactNode } from "react";
import { AppHeader } from "@/components/app-header";
import { SessionProvider } from "@/components/session";
import { requireUser } from "@/lib/auth/current-user";
import { getDb } from "@/lib/db/client";
import { listEnvironments } from "@/lib/environments/environment-store";

/** Every console page needs a signed-in user; the role decides which controls appear. */
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  const environments = await listEnvironments(await getDb());
  return (
    <SessionProvider user={user}>
      <AppHeader environments={environments.map(({ key, name }) => ({ key, name }))} />
      <main className="mx-auto max-w-6xl px-6 py-8">{children}</main>
    </SessionProvider>
  );
}
