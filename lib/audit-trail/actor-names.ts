import { inArray } from "drizzle-orm";
import { apiTokens } from "@/db/schema";
import type { Db } from "@/lib/db/client";

const TOKEN_PREFIX = "token:";
const SDK_KEY_PREFIX = "sdk-key:";

export interface ActorName {
  /** What a person reads: an email, a token's name. */
  name: string;
  /** The actor as recorded, and what it was, for a title. */
  title: string;
}

export async function findApiTokensByName(db: Db, names: string[]) {
  if (names.length === 0) return [];
  return db
    .select({ name: apiTokens.name, role: apiTokens.role, createdBy: apiTokens.createdBy, revokedAt: apiTokens.revokedAt })
    .from(apiTokens)
    .where(inArray(apiTokens.name, names));
}

/**
 * Human names for the actors of a page of audit events. Tokens are recorded as `token:<name>`,
 * which reads like an id; the page shows the token's name and what it is, the raw actor in a title.
 */
export async function nameActors(db: Db, actors: string[]): Promise<Map<string, ActorName>> {
  const distinct = [...new Set(actors)];
  const tokenNames = distinct.filter((actor) => actor.startsWith(TOKEN_PREFIX)).map((actor) => actor.slice(TOKEN_PREFIX.length));
  const tokens = new Map((await findApiTokensByName(db, tokenNames)).map((token) => [token.name, token]));
  const named = new Map<string, ActorName>();
  for (const actor of distinct) {
    if (actor.startsWith(TOKEN_PREFIX)) {
      const tokenName = actor.slice(TOKEN_PREFIX.length);
      const token = tokens.get(tokenName);
      // The token RAMPART_INIT_ADMIN_TOKEN registers is named by its fingerprint (lib/setup/first-run.ts).
      const name = tokenName.startsWith("init-admin-") ? "Initial admin token" : tokenName;
      const about = token
        ? `API token ${tokenName}, ${token.role}, created by ${token.createdBy}${token.revokedAt ? ", revoked" : ""}`
        : `API token ${tokenName}, since deleted`;
      named.set(actor, { name, title: `${about} (${actor})` });
    } else if (actor.startsWith(SDK_KEY_PREFIX)) {
      named.set(actor, { name: actor.slice(SDK_KEY_PREFIX.length), title: `SDK key (${actor})` });
    } else {
      named.set(actor, { name: actor, title: actor });
    }
  }
  return named;
}
