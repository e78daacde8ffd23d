import type { Metadata } from "next";
import { UsersAdmin } from "@/components/settings/users-admin";
import { PageHeader } from "@/components/ui/page-header";
import { consolePage } from "@/lib/pages/console-page";
import { listUsers } from "@/lib/users/user-store";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Users" };

// The shared layout is not re-rendered when switching tabs, so the page checks the role as well.
export default consolePage({ role: "admin" }, async function UsersPage({ db }) {
  const users = await listUsers(db);
  return (
    <>
      <PageHeader title="Users" subtitle="Who signs in to Rampart and what their role lets them do." />
      <UsersAdmin initialUsers={users} />
    </>
  );
});
