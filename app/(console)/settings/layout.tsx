import type { ReactNode } from "react";
import { SettingsTabs } from "@/components/settings/settings-tabs";
import { consolePage } from "@/lib/pages/console-page";

/** Users, API tokens and SDK keys are admin business; the API refuses everyone else too. */
export default consolePage({ role: "admin" }, async function SettingsLayout(_args, { children }: { children: ReactNode }) {
  return (
    <>
      <SettingsTabs />
      {children}
    </>
  );
});
