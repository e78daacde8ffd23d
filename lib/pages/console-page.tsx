import { notFound } from "next/navigation";
import type { inferParserType, LoaderFunction, ParserMap, SearchParams } from "nuqs/server";
import { cache, type ReactNode } from "react";
import type { z } from "zod";
import { NeedsRole } from "@/components/ui/needs-role";
import { roleAtLeast } from "@/lib/auth/actor";
import { requireUser, type SignedInUser } from "@/lib/auth/current-user";
import type { Role } from "@/lib/auth/roles";
import { getDb, type Db } from "@/lib/db/client";
import { orNotFound } from "./or-not-found";

// The Next adapter for console pages, apiRoute's counterpart: every page and layout goes through
// consolePage, which signs the user in (or redirects to sign-in), checks the role, parses the path
// and the search params once each, and shows the 404 page for an unknown flag or environment.

export interface PageArgs<P, S> {
  db: Db;
  user: SignedInUser;
  /** The path segments (`[key]`), parsed by the page's schema. */
  params: P;
  /** The search params, read by the page's loader from lib/pages/search-params.ts. */
  search: S;
}

export interface PageOptions<P extends z.ZodType, S extends ParserMap> {
  /** The least role that sees the page; anyone else sees NeedsRole instead. Any signed-in user when omitted. */
  role?: Role;
  /** The path segments; a malformed one is the 404 page. Not read when omitted. */
  params?: P;
  /** The search params the page reads; none when omitted. */
  search?: LoaderFunction<S>;
}

/** What Next passes a page or layout besides its own props (`children`). */
interface RouteProps {
  params?: Promise<Record<string, string>>;
  searchParams?: Promise<SearchParams>;
}

// The console layout and its page both ask on every request: one session lookup serves them.
const signedInUser = cache(requireUser);

export function consolePage<Props = object, P extends z.ZodType = z.ZodType<object>, S extends ParserMap = Record<never, never>>(
  options: PageOptions<P, S>,
  render: (args: PageArgs<z.output<P>, inferParserType<S>>, props: Props) => Promise<ReactNode>,
): (props: Props & RouteProps) => Promise<ReactNode> {
  return async (props) => {
    const user = await signedInUser();
    if (options.role && !roleAtLeast(user.role, options.role)) return <NeedsRole role={options.role} />;
    let params = {} as z.output<P>;
    if (options.params) {
      const parsed = options.params.safeParse(await props.params);
      if (!parsed.success) notFound();
      params = parsed.data;
    }
    const search = (options.search ? await options.search(props.searchParams ?? Promise.resolve({})) : {}) as inferParserType<S>;
    const db = await getDb();
    return orNotFound(render({ db, user, params, search }, props));
  };
}
