"use client";

import { usePathname } from "next/navigation";
import { useCan } from "./session";

/** A flag's page: /flags/<key>, not the create form. */
const FLAG_PAGE = /^\/flags\/(?!new$)[^/]+$/;

/**
 * The first stop of the Tab order. On a flag's page it leads past the header to the incident
 * bar (kill switch first), so on-call reaches it in one Tab and Enter; elsewhere to the content.
 */
export function SkipLink() {
  const onFlagPage = FLAG_PAGE.test(usePathname());
  const canOperate = useCan("operator");
  const [href, label] = onFlagPage ? ["#incident-bar", canOperate ? "Skip to the kill switch" : "Skip to the flag's state"] : ["#main", "Skip to content"];
  return (
    <a
      href={href}
      data-testid="skip-link"
      className="sr-only z-50 rounded bg-slate-900 px-3 py-2 text-sm font-semibold text-white focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
    >
      {label}
    </a>
  );
}
