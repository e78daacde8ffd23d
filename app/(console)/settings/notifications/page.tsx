import type { Metadata } from "next";
import { NotificationsAdmin } from "@/components/notifications/notifications-admin";
import { PageHeader } from "@/components/ui/page-header";
import { listEnvironments } from "@/lib/environments/environment-store";
import { listDestinations } from "@/lib/notifications/destinations";
import { consolePage } from "@/lib/pages/console-page";
import { pageContext } from "@/lib/pages/page-context";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Notifications" };

// The shared layout is not re-rendered when switching tabs, so the page checks the role as well.
export default consolePage({ role: "admin" }, async function NotificationsPage(args) {
  const [destinations, environments] = await Promise.all([listDestinations(pageContext(args)), listEnvironments(args.db)]);
  return (
    <>
      <PageHeader title="Notifications" subtitle="Where kills, guard decisions and teardown steps are sent: Slack channels and signed JSON webhooks." />
      <NotificationsAdmin initialDestinations={destinations} initialEnvironments={environments.map(({ key, name }) => ({ key, name }))} />
    </>
  );
});
