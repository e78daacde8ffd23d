import { z } from "zod";
import { DEFAULT_ENVIRONMENT } from "@/lib/environments/default-environment";
import { environmentKeySchema } from "@/lib/environments/schemas";
import { FLAG_KEY_RULE } from "./flag-key";

export const FLAG_KEY_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,63}$/;
const ATTRIBUTE_PATTERN = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
const SQL_IDENTIFIER_PATTERN = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/;

export const flagKeySchema = z
  .string()
  .regex(FLAG_KEY_PATTERN, `must be ${FLAG_KEY_RULE}`);

/** 0–100 with at most two decimals, so it maps exactly onto basis points. */
export const percentageSchema = z
  .number()
  .min(0, "must be at least 0")
  .max(100, "must be at most 100")
  .refine((p) => Math.abs(Math.round(p * 100) - p * 100) < 1e-6, "must have at most two decimals");

const attributeSchema = z.string().regex(ATTRIBUTE_PATTERN, "must be an attribute name such as user_id");
const sqlIdentifierSchema = z.string().regex(SQL_IDENTIFIER_PATTERN, "must be a SQL identifier");

const contractionSchema = z.strictObject({
  table: z
    .string()
    .regex(/^([A-Za-z_][A-Za-z0-9_$]{0,62}\.)?[A-Za-z_][A-Za-z0-9_$]{0,62}$/, "must be a table name such as orders or public.orders"),
  oldColumn: sqlIdentifierSchema,
  newColumn: sqlIdentifierSchema.optional(),
  /** The index the new path reads through, e.g. idx_orders_order_status: its scans should climb with the ramp. */
  newIndex: sqlIdentifierSchema.optional(),
});

const ticketFields = {
  owner: z.string().trim().min(1, "must name the owner").max(200),
  legacyZeroDays: z.number().int("must be a whole number of days").min(1, "must be at least 1").max(90, "must be at most 90"),
  quietHours: z.number().int("must be a whole number of hours").min(1, "must be at least 1").max(720, "must be at most 720"),
  staleAfterDays: z.number().int("must be a whole number of days").min(1, "must be at least 1").max(365, "must be at most 365"),
  dueDate: z.union([z.iso.date(), z.iso.datetime({ offset: true })], "must be a date such as 2027-01-31"),
  link: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).max(2000),
};

export const removalTicketInputSchema = z.strictObject({
  owner: ticketFields.owner.optional(),
  legacyZeroDays: ticketFields.legacyZeroDays.optional(),
  quietHours: ticketFields.quietHours.optional(),
  staleAfterDays: ticketFields.staleAfterDays.optional(),
  dueDate: ticketFields.dueDate.optional(),
  contraction: contractionSchema.optional(),
  link: ticketFields.link.optional(),
});

/** An edit of the ticket: named fields change, `null` clears the optional ones. */
export const removalTicketPatchSchema = z
  .strictObject({
    owner: ticketFields.owner.optional(),
    legacyZeroDays: ticketFields.legacyZeroDays.optional(),
    quietHours: ticketFields.quietHours.optional(),
    staleAfterDays: ticketFields.staleAfterDays.nullable().optional(),
    dueDate: ticketFields.dueDate.optional(),
    contraction: contractionSchema.nullable().optional(),
    link: ticketFields.link.nullable().optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, { message: "name at least one field to change" });
export type RemovalTicketPatch = z.infer<typeof removalTicketPatchSchema>;

export const createFlagInputSchema = z.strictObject({
  key: flagKeySchema,
  name: z.string().trim().min(1).max(200).optional(),
  description: z.string().max(5000).optional(),
  owner: z.string().trim().min(1, "must name the owning team or person").max(200),
  removalTicket: removalTicketInputSchema.optional(),
});
export type CreateFlagInput = z.infer<typeof createFlagInputSchema>;

/** Target values per flag and environment, every rule together: named test tenants, not a segment. */
export const MAX_TARGET_VALUES = 1_000;
export const MAX_TARGET_VALUE_LENGTH = 256;

/**
 * One target rule as a PATCH sends it: these values of the attribute are forced to `value`.
 * The list replaces the rule's list; an empty list removes the rule.
 */
const targetPatchSchema = z.strictObject({
  attribute: attributeSchema.refine((name) => name !== "kind", {
    message: 'is the context kind: pin a kind with `contexts`, e.g. {"contexts": {"batch_processor": false}}',
  }),
  value: z.boolean(),
  values: z
    .array(
      z
        .string()
        .min(1, "must not be empty")
        .max(MAX_TARGET_VALUE_LENGTH, `must be at most ${MAX_TARGET_VALUE_LENGTH} characters`),
    )
    .superRefine((values, ctx) => {
      const seen = new Set<string>();
      values.forEach((value, m) => {
        if (seen.has(value)) ctx.addIssue({ code: "custom", path: [m], message: "is listed twice" });
        seen.add(value);
      });
    }),
});
export type TargetPatch = z.infer<typeof targetPatchSchema>;

/** Each rule (attribute, value) at most once per PATCH, so what it asks for is never ambiguous. */
const targetsPatchSchema = z.array(targetPatchSchema).superRefine((items, ctx) => {
  const first = new Map<string, number>();
  items.forEach((item, n) => {
    const rule = `${item.attribute}=${item.value}`;
    const earlier = first.get(rule);
    if (earlier === undefined) first.set(rule, n);
    else ctx.addIssue({ code: "custom", path: [n], message: `repeats the ${item.attribute} → ${item.value} rule of targets.${earlier}: send each rule once` });
  });
});

/**
 * A partial state update. `contexts` merges: `true`/`false` pins a kind, `null` unpins it.
 * `targets` merges by rule (attribute, value): a rule's list replaces the stored one, `[]` removes it.
 */
export const flagStatePatchSchema = z
  .strictObject({
    default: z.boolean().optional(),
    percentage: percentageSchema.optional(),
    rollout: z.strictObject({ by: attributeSchema }).optional(),
    contexts: z.record(attributeSchema, z.boolean().nullable()).optional(),
    targets: targetsPatchSchema.optional(),
    reason: z.string().trim().max(1000).optional(),
  })
  .refine(
    (patch) =>
      patch.default !== undefined ||
      patch.percentage !== undefined ||
      patch.rollout !== undefined ||
      patch.contexts !== undefined ||
      patch.targets !== undefined,
    { message: "name at least one of default, percentage, rollout, contexts, targets" },
  );
export type FlagStatePatch = z.infer<typeof flagStatePatchSchema>;

export const flagActionInputSchema = z.strictObject({
  reason: z.string().trim().max(1000).optional(),
});
export type FlagActionInput = z.infer<typeof flagActionInputSchema>;

/** Stage 2's body: an admin may let unproven application-database evidence pass, with a reason. */
export const zeroFallbackInputSchema = z.strictObject({
  reason: z.string().trim().max(1000).optional(),
  overrideUnproven: z.boolean().optional(),
});
export type ZeroFallbackInput = z.infer<typeof zeroFallbackInputSchema>;

export const environmentQuerySchema = z.strictObject({
  env: environmentKeySchema.default(DEFAULT_ENVIRONMENT),
});
