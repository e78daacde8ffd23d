"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useCan } from "@/components/shell/session";

const TABS = [
  { href: "/settings/users", label: "Users", adminOnly: true },
  { href: "/settings/tokens", label: "API tokens", adminOnly: true },
  { href: "/settings/sdk-keys", label: "SDK keys", adminOnly: true },
  { href: "/settings/databases", label: "Databases", adminOnly: false },
  { href: "/settings/notifications", label: "Notifications", adminOnly: true },
];

export function SettingsTabs() {
  const pathname = usePathname();
  const isAdmin = useCan("admin");
  return (
    <nav aria-label="Settings" className="mb-6 flex flex-wrap gap-1 border-b border-slate-200">
      {TABS.filter((tab) => isAdmin || !tab.adminOnly).map((tab) => {
        const active = pathname === tab.href || pathname.startsWith(`${tab.href}/`);
        return (
          <Link
            key={tab.href}
            href={tab.href}
            aria-current={active ? "page" : undefined}
            className={`-mb-px border-b-2 px-2 py-2 text-sm font-medium whitespace-nowrap sm:px-3 ${
              active ? "border-slate-900 text-slate-900" : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900"
            }`}
          >
            {tab.label}
          </Link>
        );
      })}
    </nav>
  );
}
