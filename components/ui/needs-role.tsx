import type { Role } from "@/lib/auth/roles";

/** Shown instead of a page the signed-in user's role does not reach. */
export function NeedsRole({ role }: { role: Role }) {
  return (
    <div role="alert" className="rounded-lg border border-amber-300 bg-amber-50 p-6 text-amber-900">
      <p className="font-semibold">This page needs the {role} role.</p>
      <p className="mt-1 text-sm">Ask an admin of this Rampart to change your role if you need it.</p>
    </div>
  );
}
