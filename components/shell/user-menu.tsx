"use client";

import { useRouter } from "next/navigation";
import { authClient } from "./auth-client";
import { useSignedInUser } from "./session";

export function UserMenu() {
  const user = useSignedInUser();
  const router = useRouter();
  return (
    <div className="flex min-w-0 items-center gap-3 text-sm">
      <span className="min-w-0 text-right leading-tight">
        <span data-testid="signed-in-as" title={user.email} className="block max-w-[14rem] truncate font-medium text-slate-900 max-sm:max-w-[9rem]">{user.email}</span>
        <span className="block text-xs text-slate-500">{user.role}</span>
      </span>
      <button
        type="button"
        onClick={async () => {
          await authClient.signOut();
          router.replace("/sign-in");
          router.refresh();
        }}
        className="shrink-0 rounded border border-slate-300 px-2.5 py-1 whitespace-nowrap text-slate-700 hover:bg-slate-100"
      >
        Sign out
      </button>
    </div>
  );
}
