"use client";

import { useRouter } from "next/navigation";
import { authClient } from "./auth-client";
import { useSignedInUser } from "./session";

export function UserMenu() {
  const user = useSignedInUser();
  const router = useRouter();
  return (
    <div className="flex items-center gap-3 text-sm">
      <span className="text-right leading-tight">
        <span data-testid="signed-in-as" className="block font-medium text-slate-900">{user.email}</span>
        <span className="block text-xs text-slate-500">{user.role}</span>
      </span>
      <button
        type="button"
        onClick={async () => {
          await authClient.signOut();
          router.replace("/sign-in");
          router.refresh();
        }}
        className="rounded border border-slate-300 px-2.5 py-1 text-slate-700 hover:bg-slate-100"
      >
        Sign out
      </button>
    </div>
  );
}
