"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useQueryState } from "nuqs";
import { staleFlagsQuery } from "@/components/lifecycle/lifecycle-queries";
import { envSearchParams, withEnv } from "@/lib/pages/search-params";
import { EnvironmentSwitcher, type EnvironmentOption } from "./environment-switcher";
import { useCan } from "./session";
import { UserMenu } from "./user-menu";

const NAV_ITEMS = [
  { href: "/", label: "Flags", matches: (path: string) => path === "/" || path.startsWith("/flags"), adminOnly: false },
  { href: "/stale", label: "Stale flags", matches: (path: string) => path.startsWith("/stale"), adminOnly: false },
  { href: "/fleet", label: "Fleet", matches: (path: string) => path.startsWith("/fleet"), adminOnly: false },
  { href: "/audit", label: "Audit", matches: (path: string) => path.startsWith("/audit"), adminOnly: false },
  { href: "/settings/users", label: "Settings", matches: (path: string) => path.startsWith("/settings"), adminOnly: true },
];

export function AppHeader({ environments }: { environments: EnvironmentOption[] }) {
  const pathname = usePathname();
  const [env] = useQueryState("env", envSearchParams.env);
  const isAdmin = useCan("admin");
  return (
    <header className="border-b border-slate-200 bg-white">
      {/* Everything wraps rather than overflowing: at 390 px, or 200% zoom, the user and Sign out stay on screen. */}
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-8 gap-y-2 px-4 py-3 sm:px-6">
        <Link href={withEnv("/", { env })} className="text-lg font-bold tracking-tight text-slate-900">
          Rampart
        </Link>
        <nav aria-label="Main" className="-mx-1 flex flex-wrap gap-1 max-sm:order-last max-sm:w-full">
          {NAV_ITEMS.filter((item) => isAdmin || !item.adminOnly).map((item) => {
            const active = item.matches(pathname);
            return (
              <Link
                key={item.href}
                href={withEnv(item.href, { env })}
                aria-current={active ? "page" : undefined}
                className={`rounded px-2.5 py-1.5 text-sm font-medium whitespace-nowrap sm:px-3 ${
                  active ? "bg-slate-900 text-white" : "text-slate-600 hover:bg-slate-100 hover:text-slate-900"
                }`}
              >
                {item.label}
                {item.href === "/stale" ? <StaleCount env={env} /> : null}
              </Link>
            );
          })}
        </nav>
        <div className="ml-auto flex min-w-0 flex-wrap items-center justify-end gap-x-6 gap-y-2">
          <EnvironmentSwitcher environments={environments} />
          <UserMenu />
        </div>
      </div>
    </header>
  );
}

/** Nudges cleanup from every page: how many flags in this environment are stale, red when a ticket is overdue. */
function StaleCount({ env }: { env: string }) {
  const { data } = useQuery({ ...staleFlagsQuery(env), refetchInterval: 60_000 });
  if (!data || data.count === 0) return null;
  const overdue = data.flags.some((flag) => flag.reasons.some((reason) => reason.kind === "removal_overdue"));
  return (
    <span
      data-testid="stale-count"
      role="img"
      aria-label={`${data.count} stale flag${data.count === 1 ? "" : "s"}`}
      className={`ml-1.5 inline-flex min-w-5 items-center justify-center rounded-full px-1.5 text-xs font-bold tabular-nums text-white ${
        overdue ? "bg-red-600" : "bg-amber-500"
      }`}
    >
      {data.count}
    </span>
  );
}
