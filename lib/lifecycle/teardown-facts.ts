import type { Db } from "@/lib/db/client";
import { listEnvironments, type Environment } from "@/lib/environments/environment-store";
import { findFlagStates, findRemovalTicket } from "@/lib/flags/flag-store";
import { toRemovalTicketView, type FlagRow, type FlagStateRow, type RemovalTicketRow } from "@/lib/flags/flag-view";
import { DEFAULT_LEGACY_ZERO_DAYS, DEFAULT_QUIET_HOURS } from "@/lib/flags/ticket-defaults";
import type { EnvironmentEvaluation } from "./teardown-gates";
import { findTeardowns, type TeardownRow } from "./teardown-store";

// What the teardown read and its actions both need to know about one flag.

export interface TeardownFacts {
  environments: Environment[];
  states: FlagStateRow[];
  teardowns: Map<number, TeardownRow>;
  ticket: RemovalTicketRow | undefined;
  evaluations: EnvironmentEvaluation[];
}

export async function gatherFacts(db: Db, flag: FlagRow): Promise<TeardownFacts> {
  const [environments, states, teardowns, ticket] = await Promise.all([
    listEnvironments(db),
    findFlagStates(db, flag.id),
    findTeardowns(db, flag.id),
    findRemovalTicket(db, flag.id),
  ]);
  const byEnvironment = new Map(teardowns.map((t) => [t.environmentId, t]));
  const evaluations = environments.map((environment) => ({
    environment: environment.key,
    lastEvaluatedAt: states.find((s) => s.environmentId === environment.id)?.lastEvaluatedAt ?? null,
    zeroFallbackConfirmed: byEnvironment.get(environment.id)?.zeroFallbackConfirmedAt != null,
  }));
  return { environments, states, teardowns: byEnvironment, ticket, evaluations };
}

export function ticketTerms(ticket: RemovalTicketRow | undefined) {
  return {
    legacyZeroDays: ticket?.legacyZeroDays ?? DEFAULT_LEGACY_ZERO_DAYS,
    quietHours: ticket?.quietHours ?? DEFAULT_QUIET_HOURS,
  };
}

export function contractionOf(ticket: RemovalTicketRow | undefined) {
  return ticket ? toRemovalTicketView(ticket).contraction : null;
}
