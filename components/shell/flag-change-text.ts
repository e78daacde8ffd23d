import { formatPercentage } from "@/components/ui/format";
import type { ConsoleFlagChange } from "@/lib/live/console-flag-changes";

/** One event of GET /api/flag-changes: the server's type, imported for its shape only. */
export type LiveFlagChange = ConsoleFlagChange;

/** "schema_v2 killed by oncall@example.com": what a toast says about someone else's change. */
export function describeLiveChange(change: LiveFlagChange): string {
  return `${change.key} ${whatHappened(change)} in ${change.environment} by ${actorName(change.actor)}`;
}

function whatHappened({ action, percentage, previousPercentage, killed }: LiveFlagChange): string {
  if (action === "flag.killed") return "killed";
  if (action === "flag.restored") return `restored to ${formatPercentage(percentage ?? 0)}`;
  if (action === "flag.archived") return "archived";
  if (!killed && percentage !== null && previousPercentage !== null && percentage !== previousPercentage) {
    return `ramped from ${formatPercentage(previousPercentage)} to ${formatPercentage(percentage)}`;
  }
  return "changed";
}

/** Audit actors as people say them: a token by its name, the controller by its role. */
function actorName(actor: string | null): string {
  if (!actor) return "someone";
  if (actor.startsWith("token:")) return `API token “${actor.slice("token:".length)}”`;
  if (actor === "controller") return "the ramp controller";
  return actor;
}
