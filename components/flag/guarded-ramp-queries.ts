import { queryOptions } from "@tanstack/react-query";
import { flagApi } from "./flag-api";

/** Key first, then environment, so a flag change from the live feed refreshes every environment's plan. */
export const guardedRampQueries = {
  flag: (key: string) => ["guarded-ramp", key] as const,
  environment: (key: string, env: string) => ["guarded-ramp", key, env] as const,
};

export function guardedRampQuery({ key, env }: { key: string; env: string }) {
  return queryOptions({
    queryKey: guardedRampQueries.environment(key, env),
    queryFn: () => flagApi.guardedRamp({ key, env }),
  });
}
