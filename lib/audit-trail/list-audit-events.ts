// The audit trail as people read it: events named by flag and environment key, actors by name.
// It sits above audit, flags and environments, which all record through lib/audit/audit-store.
import type { Db } from "@/lib/db/client";
import { requireEnvironment } from "@/lib/environments/environment-store";
import { requireFlag } from "@/lib/flags/flag-store";
import { findAuditActions, findAuditEvents, type AuditEventView } from "@/lib/audit/audit-store";
import { nameActors } from "./actor-names";
import type { AuditQuery } from "./schemas";

export type NamedAuditEvent = AuditEventView & { actorName: string; actorTitle: string };

/** One page of the audit trail, newest first, filtered by flag, environment, actor, action and time. */
export async function listAuditEvents({ db, query }: { db: Db; query: AuditQuery }): Promise<{ events: NamedAuditEvent[]; nextCursor: string | null }> {
  const flag = query.flag ? await requireFlag(db, query.flag) : undefined;
  const environment = query.env ? await requireEnvironment(db, query.env) : undefined;
  const { events, nextCursor } = await findAuditEvents(db, {
    flagId: flag?.id,
    environmentId: environment?.id,
    actorContains: query.actor,
    action: query.action,
    from: query.from,
    to: query.to,
    beforeId: query.cursor ? Number(query.cursor) : undefined,
    limit: query.limit,
  });
  const names = await nameActors(db, events.map((event) => event.actor));
  return {
    events: events.map((event) => ({ ...event, actorName: names.get(event.actor)!.name, actorTitle: names.get(event.actor)!.title })),
    nextCursor,
  };
}

/** The actions the trail holds, for the audit page's filter. */
export async function listAuditActions({ db }: { db: Db }): Promise<string[]> {
  return findAuditActions(db);
}
