import { queryOptions } from "@tanstack/react-query";
import { flagApi, staleFlagsApi } from "@/components/flag/flag-api";

/** Key first, then environment: archiving acts in every environment, so it refreshes the flag's prefix. */
export const teardownQueries = {
  flag: (key: string) => ["teardown", key] as const,
  environment: (key: string, env: string) => ["teardown", key, env] as const,
};

/** Any teardown step or ticket edit can change the list, so they invalidate `all`. */
export const staleFlagQueries = {
  all: () => ["stale-flags"] as const,
  environment: (env: string) => ["stale-flags", env] as const,
};

export function teardownQuery({ key, env }: { key: string; env: string }) {
  return queryOptions({
    queryKey: teardownQueries.environment(key, env),
    queryFn: () => flagApi.teardown({ key, env }),
  });
}

export function staleFlagsQuery(env: string) {
  return queryOptions({
    queryKey: staleFlagQueries.environment(env),
    queryFn: () => staleFlagsApi.list({ env }),
  });
}
