import type { ReactNode } from "react";
import { NeedsRole } from "@/components/needs-role";
import { SettingsTabs } from "@/components/settings-tabs";
import { roleAtLeast } from "@/lib/auth/actor";
import { requireUser } from "@/lib/auth/current-user";

/** Users, API tokens and SDK keys are admin business; the API refuses everyone else too. */
export default async function SettingsLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  if (!roleAtLeast(user.role, "admin")) return <NeedsRole role="admin" />;
  return (
    <>
      <SettingsTabs />
      {children}
    </>
  );
}
