import { randomBytes } from "node:crypto";
import { asc, eq, inArray } from "drizzle-orm";
import { environments, notificationDestinations } from "@/db/schema";
import { recordAuditEvent } from "@/lib/audit/audit-store";
import type { ServiceContext } from "@/lib/context";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/errors";
import type { NotificationEventType, Severity } from "@/lib/notification-events/notification-event";
import type { DestinationRow } from "./delivery-store";
import { encryptDestinationSecret } from "./destination-secrets";
import type { AddDestinationInput, UpdateDestinationInput } from "./schemas";

/** What admins see of a destination: where it points (host only) and what it hears; never the URL or the secret. */
export interface DestinationView {
  id: number;
  name: string;
  kind: "slack" | "webhook";
  urlHost: string;
  signed: boolean;
  eventTypes: NotificationEventType[];
  environments: string[] | null;
  minSeverity: Severity;
  enabled: boolean;
  /** Whether it gets the weekly stale digest, and the week (a Monday, 09:00 UTC) of the last one made. */
  staleDigest: boolean;
  staleDigestWeek: string | null;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
}

export function toDestinationView(row: DestinationRow): DestinationView {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    urlHost: row.urlHost,
    signed: row.signingSecretCiphertext !== null,
    eventTypes: row.eventTypes,
    environments: row.environments,
    minSeverity: row.minSeverity,
    enabled: row.enabled,
    staleDigest: row.staleDigest,
    staleDigestWeek: row.staleDigestSlot?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    createdBy: row.createdBy,
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function listDestinations(ctx: ServiceContext): Promise<DestinationView[]> {
  return (await ctx.db.select().from(notificationDestinations).orderBy(asc(notificationDestinations.name))).map(toDestinationView);
}

export async function requireDestination(ctx: ServiceContext, id: number): Promise<DestinationRow> {
  const [row] = await ctx.db.select().from(notificationDestinations).where(eq(notificationDestinations.id, id));
  if (!row) throw new NotFoundError("destination_not_found", `There is no notification destination ${id}.`);
  return row;
}

/** A webhook gets a signing secret, shown in this answer only; Slack verifies nothing, so it gets none. */
export async function addDestination(ctx: ServiceContext, input: AddDestinationInput): Promise<DestinationView & { signingSecret?: string }> {
  await requireEnvironments(ctx, input.environments, "environments");
  const signingSecret = input.kind === "webhook" ? newSigningSecret() : undefined;
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(notificationDestinations)
      .values({
        name: input.name,
        kind: input.kind,
        urlCiphertext: encryptDestinationSecret(input.url),
        urlHost: new URL(input.url).host,
        signingSecretCiphertext: signingSecret ? encryptDestinationSecret(signingSecret) : null,
        eventTypes: input.eventTypes,
        environments: input.environments,
        minSeverity: input.minSeverity,
        enabled: input.enabled,
        staleDigest: input.staleDigest,
        createdBy: ctx.actor.name,
      })
      .onConflictDoNothing({ target: notificationDestinations.name })
      .returning();
    if (!row) throw new ConflictError("destination_exists", `A destination named "${input.name}" already exists.`, [{ path: "name", message: "is taken" }]);
    await audit(tx, ctx, "notification_destination.added", null, row);
    return { ...toDestinationView(row), ...(signingSecret ? { signingSecret } : {}) };
  });
}

export async function updateDestination(ctx: ServiceContext, id: number, input: UpdateDestinationInput): Promise<DestinationView & { signingSecret?: string }> {
  if (input.environments !== undefined) await requireEnvironments(ctx, input.environments, "environments");
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(notificationDestinations).where(eq(notificationDestinations.id, id)).for("update");
    if (!before) throw new NotFoundError("destination_not_found", `There is no notification destination ${id}.`);
    if (input.rotateSigningSecret && before.kind !== "webhook") {
      throw new ValidationError("invalid_input", "Only a webhook destination is signed.", [{ path: "rotateSigningSecret", message: "only for webhook destinations" }]);
    }
    const signingSecret = input.rotateSigningSecret ? newSigningSecret() : undefined;
    const [row] = await tx
      .update(notificationDestinations)
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.url !== undefined ? { urlCiphertext: encryptDestinationSecret(input.url), urlHost: new URL(input.url).host } : {}),
        ...(input.eventTypes !== undefined ? { eventTypes: input.eventTypes } : {}),
        ...(input.environments !== undefined ? { environments: input.environments } : {}),
        ...(input.minSeverity !== undefined ? { minSeverity: input.minSeverity } : {}),
        ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
        ...(input.staleDigest !== undefined ? { staleDigest: input.staleDigest } : {}),
        ...(signingSecret ? { signingSecretCiphertext: encryptDestinationSecret(signingSecret) } : {}),
        updatedAt: new Date(),
      })
      .where(eq(notificationDestinations.id, id))
      .returning()
      .catch((error: unknown) => {
        if (String((error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code) === "23505") {
          throw new ConflictError("destination_exists", `A destination named "${input.name}" already exists.`, [{ path: "name", message: "is taken" }]);
        }
        throw error;
      });
    await audit(tx, ctx, "notification_destination.updated", before, row!, { urlChanged: input.url !== undefined, signingSecretRotated: Boolean(signingSecret) });
    return { ...toDestinationView(row!), ...(signingSecret ? { signingSecret } : {}) };
  });
}

export async function removeDestination(ctx: ServiceContext, id: number): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx.delete(notificationDestinations).where(eq(notificationDestinations.id, id)).returning();
    if (!row) throw new NotFoundError("destination_not_found", `There is no notification destination ${id}.`);
    await audit(tx, ctx, "notification_destination.removed", row, null);
  });
}

/** Name, kind, host and filters: what an audit reader needs, never the URL's path or the secret. */
function auditShape(row: DestinationRow | null) {
  return row && { name: row.name, kind: row.kind, urlHost: row.urlHost, eventTypes: row.eventTypes, environments: row.environments, minSeverity: row.minSeverity, enabled: row.enabled, staleDigest: row.staleDigest };
}

async function audit(tx: ServiceContext["db"], ctx: ServiceContext, action: string, before: DestinationRow | null, after: DestinationRow | null, extra: Record<string, boolean> = {}) {
  await recordAuditEvent(tx, { actor: ctx.actor.name, source: ctx.source, action, before: auditShape(before), after: after && { ...auditShape(after), ...extra }, requestId: ctx.requestId });
}

async function requireEnvironments(ctx: ServiceContext, keys: string[] | null, path: string): Promise<void> {
  if (!keys) return;
  const found = new Set((await ctx.db.select({ key: environments.key }).from(environments).where(inArray(environments.key, keys))).map((e) => e.key));
  const missing = keys.findIndex((key) => !found.has(key));
  if (missing !== -1) throw new ValidationError("invalid_input", `There is no environment "${keys[missing]}".`, [{ path: `${path}.${missing}`, message: "is not an environment" }]);
}

function newSigningSecret(): string {
  return `whsec_${randomBytes(24).toString("base64url")}`;
}
