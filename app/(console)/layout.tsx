import type { ReactNode } from "react";
import { AppHeader } from "@/components/shell/app-header";
import { SessionProvider } from "@/components/shell/session";
import { listEnvironments } from "@/lib/environments/environment-store";
import { consolePage } from "@/lib/pages/console-page";

/** Every console page needs a signed-in user; the role decides which controls appear. */
export default consolePage({}, async function ConsoleLayout({ db, user }, { children }: { children: ReactNode }) {
  const environments = await listEnvironments(db);
  return (
    <SessionProvider user={user}>
      <AppHeader environments={environments.map(({ key, name }) => ({ key, name }))} />
      <main className="mx-auto max-w-6xl px-6 py-8">{children}</main>
    </SessionProvider>
  );
});
