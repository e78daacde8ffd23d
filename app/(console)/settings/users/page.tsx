import type { Metadata } from "next";
import { NeedsRole } from "@/components/needs-role";
import { PageHeader } from "@/components/page-header";
import { UsersAdmin } from "@/components/users-admin";
import { roleAtLeast } from "@/lib/auth/actor";
import { requireUser } from "@/lib/auth/current-user";
import { getDb } from "@/lib/db/client";
import { listUsers } from "@/lib/users/user-store";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  // The shared layout is not re-rendered when switching tabs, so the page checks the role as well.
  if (!roleAtLeast((await requireUser()).role, "admin")) return <NeedsRole role="admin" />;
  const users = await listUsers(await getDb());
  return (
    <>
      <PageHeader title="Users" subtitle="Who signs in to Rampart and what their role lets them do." />
      <UsersAdmin initialUsers={users} />
    </>
  );
}
