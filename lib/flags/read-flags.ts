import type { Db } from "@/lib/db/client";
import { requireEnvironment } from "@/lib/environments/environment-store";
import { findFlagsWithState, findRemovalTicket, requireFlag, requireFlagState } from "./flag-store";
import { toFlagStateView, toFlagView, toRemovalTicketView } from "./flag-view";

/** Every flag with its state in one environment. */
export async function listFlags({ db, env }: { db: Db; env: string }) {
  const environment = await requireEnvironment(db, env);
  const rows = await findFlagsWithState(db, environment.id);
  return {
    environment: environment.key,
    flags: rows.map(({ flag, state, ticket }) => ({
      ...toFlagView(flag),
      state: toFlagStateView(state),
      removalTicket: ticket ? toRemovalTicketView(ticket) : null,
    })),
  };
}

/** One row of `listFlags`: a flag with its state in one environment and its removal ticket. */
export type ListedFlag = Awaited<ReturnType<typeof listFlags>>["flags"][number];

/** One flag, its state in one environment and its removal ticket. */
export async function getFlag({ db, key, env }: { db: Db; key: string; env: string }) {
  const environment = await requireEnvironment(db, env);
  const flag = await requireFlag(db, key);
  const [state, ticket] = await Promise.all([requireFlagState(db, flag, environment), findRemovalTicket(db, flag.id)]);
  return {
    flag: toFlagView(flag),
    environment: environment.key,
    state: toFlagStateView(state),
    removalTicket: ticket ? toRemovalTicketView(ticket) : null,
  };
}
