import type { ReactNode } from "react";
import { AppHeader } from "@/components/shell/app-header";
import { LiveFlagChanges } from "@/components/shell/live-flag-changes";
import { SessionProvider } from "@/components/shell/session";
import { SkipLink } from "@/components/shell/skip-link";
import { listEnvironments } from "@/lib/environments/environment-store";
import { consolePage } from "@/lib/pages/console-page";

/** Every console page needs a signed-in user; the role decides which controls appear. */
export default consolePage({}, async function ConsoleLayout({ db, user }, { children }: { children: ReactNode }) {
  const environments = await listEnvironments(db);
  return (
    <SessionProvider user={user}>
      <SkipLink />
      <AppHeader environments={environments.map(({ key, name }) => ({ key, name }))} />
      <main id="main" tabIndex={-1} className="mx-auto max-w-6xl px-6 py-8 focus:outline-none">{children}</main>
      {/* Once for every console page: the flags list and a flag's page both follow other people's changes. */}
      <LiveFlagChanges />
    </SessionProvider>
  );
});
