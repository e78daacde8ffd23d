import { queryOptions } from "@tanstack/react-query";
import { flagApi } from "./flag-api";

/** Key first, then environment, as the guarded ramp's: a removal-ticket edit refreshes every environment's evidence. */
export const databaseQueries = {
  flag: (key: string) => ["database-evidence", key] as const,
  environment: (key: string, env: string) => ["database-evidence", key, env] as const,
};

export function databaseEvidenceQuery({ key, env }: { key: string; env: string }) {
  return queryOptions({
    queryKey: databaseQueries.environment(key, env),
    queryFn: () => flagApi.databaseEvidence({ key, env }),
  });
}
