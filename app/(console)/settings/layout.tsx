import type { ReactNode } from "react";
import { SettingsTabs } from "@/components/settings/settings-tabs";
import { consolePage } from "@/lib/pages/console-page";

/**
 * Users, API tokens, SDK keys and notifications are admin business, checked by each page (and the API); the
 * Databases tab shows everyone which environments are connected, so the layout lets all in.
 */
export default consolePage({}, async function SettingsLayout(_args, { children }: { children: ReactNode }) {
  return (
    <>
      <SettingsTabs />
      {children}
    </>
  );
});
