import { stringify } from "csv-stringify/sync";
import type { Db } from "@/lib/db/client";
import { requireEnvironment } from "@/lib/environments/environment-store";
import type { FlagRow, FlagStateRow, RemovalTicketRow } from "@/lib/flags/flag-view";
import { findFlagsWithState } from "@/lib/flags/flag-store";
import { daysUntilDue } from "./due-date";
import { DEFAULT_LEGACY_ZERO_DAYS, DEFAULT_STALE_AFTER_DAYS } from "@/lib/flags/ticket-defaults";
import { defaultStaleOrder, type SortOrder, type StaleSort } from "./stale-sorts";
import type { TeardownStage } from "./teardown-gates";
import type { TeardownRow } from "./teardown-store";

/** A live flag no SDK has evaluated for this long is probably gone from code but not archived. */
export const NOT_EVALUATED_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

export type StaleReason =
  | { kind: "constant_value"; since: string; days: number; served: "0%" | "100%" | "killed"; thresholdDays: number }
  | { kind: "removal_overdue"; since: string; days: number }
  | { kind: "not_evaluated"; since: string; days: number; lastEvaluatedAt: string | null }
  | { kind: "teardown_pending"; since: string; days: number; stage: TeardownStage };

export interface StaleFlag {
  key: string;
  name: string;
  /** Who removes it: the ticket's owner, else the flag's. */
  owner: string;
  archived: boolean;
  dueDate: string | null;
  ticketStatus: RemovalTicketRow["status"] | null;
  /** Days since the oldest reason began: how long this has been left. */
  ageDays: number;
  reasons: StaleReason[];
}

export interface StaleCandidate {
  flag: FlagRow;
  state: FlagStateRow;
  ticket: RemovalTicketRow | null;
  teardown: TeardownRow | null;
}

/**
 * The four ways a flag rots: a served value constant past its threshold, a removal ticket
 * past due, no evaluation for 30 days while still live, and a ramp held past its trigger
 * window whose teardown never finished.
 */
export function findStaleFlags(candidates: StaleCandidate[], now: Date): StaleFlag[] {
  return candidates.flatMap((candidate) => {
    const reasons = [
      constantValue(candidate, now),
      removalOverdue(candidate, now),
      notEvaluated(candidate, now),
      teardownPending(candidate, now),
    ].filter((reason): reason is StaleReason => reason !== null);
    if (reasons.length === 0) return [];
    const { flag, ticket } = candidate;
    return [
      {
        key: flag.key,
        name: flag.name,
        owner: ticket?.owner ?? flag.owner,
        archived: flag.archivedAt !== null,
        dueDate: ticket?.dueAt.toISOString() ?? null,
        ticketStatus: ticket?.status ?? null,
        ageDays: Math.max(...reasons.map((r) => r.days)),
        reasons,
      },
    ];
  });
}

export function sortStaleFlags(flags: StaleFlag[], sort: StaleSort = "age", order: SortOrder = defaultStaleOrder(sort)): StaleFlag[] {
  const sign = order === "asc" ? 1 : -1;
  return [...flags].sort((a, b) => {
    const primary = sort === "age" ? a.ageDays - b.ageDays : a.owner.localeCompare(b.owner);
    return primary !== 0 ? sign * primary : a.key.localeCompare(b.key);
  });
}

/** The stale flags of one environment, sorted; `now` is a parameter so the rules can be tested. */
export async function listStaleFlags({
  db,
  env,
  now = new Date(),
  sort,
  order,
}: {
  db: Db;
  env: string;
  now?: Date;
  sort?: StaleSort;
  order?: SortOrder;
}): Promise<{ environment: string; count: number; flags: StaleFlag[] }> {
  const environment = await requireEnvironment(db, env);
  const stale = sortStaleFlags(findStaleFlags(await findFlagsWithState(db, environment.id), now), sort, order);
  return { environment: environment.key, count: stale.length, flags: stale };
}

/** One row per stale flag; formula-like cells are escaped so a spreadsheet will not run them. */
export function staleFlagsCsv(environment: string, flags: StaleFlag[]): string {
  return stringify(
    flags.map((flag) => ({
      flag: flag.key,
      environment,
      owner: flag.owner,
      age_days: flag.ageDays,
      reasons: flag.reasons.map(describeStaleReason).join("; "),
      due_date: flag.dueDate?.slice(0, 10) ?? "",
      ticket_status: flag.ticketStatus ?? "",
      archived: flag.archived ? "yes" : "no",
    })),
    { header: true, columns: ["flag", "environment", "owner", "age_days", "reasons", "due_date", "ticket_status", "archived"], escape_formulas: true },
  );
}

export function describeStaleReason(reason: StaleReason): string {
  switch (reason.kind) {
    case "constant_value":
      return `${reason.served === "killed" ? "killed" : `at ${reason.served}`} for ${reason.days} days (threshold ${reason.thresholdDays})`;
    case "removal_overdue":
      return `removal ticket ${reason.days} days past due`;
    case "not_evaluated":
      return reason.lastEvaluatedAt ? `not evaluated for ${reason.days} days` : `never evaluated in ${reason.days} days`;
    case "teardown_pending":
      return `ramped ${reason.days} days ago, teardown stopped at ${reason.stage.replaceAll("_", " ")}`;
  }
}

function constantValue({ flag, state, ticket }: StaleCandidate, now: Date): StaleReason | null {
  if (flag.archivedAt) return null;
  const served = state.killed ? "killed" : state.percentageBp === 0 ? "0%" : state.percentageBp === 10_000 ? "100%" : null;
  if (!served) return null;
  const thresholdDays = ticket?.staleAfterDays ?? DEFAULT_STALE_AFTER_DAYS;
  // servedSince ignores target edits: targets are scaffolding, and a flag with only targets left is constant.
  return olderThan(state.servedSince, thresholdDays, now) ? { kind: "constant_value", ...age(state.servedSince, now), served, thresholdDays } : null;
}

function removalOverdue({ ticket }: StaleCandidate, now: Date): StaleReason | null {
  if (!ticket || ticket.status === "done") return null;
  const days = -daysUntilDue(ticket.dueAt.toISOString(), now);
  return days > 0 ? { kind: "removal_overdue", since: ticket.dueAt.toISOString(), days } : null;
}

function notEvaluated({ flag, state }: StaleCandidate, now: Date): StaleReason | null {
  if (flag.archivedAt) return null;
  const since = state.lastEvaluatedAt ?? flag.createdAt;
  return olderThan(since, NOT_EVALUATED_DAYS, now)
    ? { kind: "not_evaluated", ...age(since, now), lastEvaluatedAt: state.lastEvaluatedAt?.toISOString() ?? null }
    : null;
}

// Past the trigger window a ramp could have been torn down; the column is still there until "done".
function teardownPending({ ticket, teardown, flag }: StaleCandidate, now: Date): StaleReason | null {
  if (!teardown?.rampedAt || ticket?.status === "done") return null;
  if (!olderThan(teardown.rampedAt, ticket?.legacyZeroDays ?? DEFAULT_LEGACY_ZERO_DAYS, now)) return null;
  const stage: TeardownStage = flag.archivedAt ? "flag_removed" : teardown.zeroFallbackConfirmedAt ? "zero_fallback_confirmed" : "ramped";
  return { kind: "teardown_pending", ...age(teardown.rampedAt, now), stage };
}

function olderThan(since: Date, days: number, now: Date): boolean {
  return now.getTime() - since.getTime() > days * DAY_MS;
}

function age(since: Date, now: Date): { since: string; days: number } {
  return { since: since.toISOString(), days: Math.floor((now.getTime() - since.getTime()) / DAY_MS) };
}
