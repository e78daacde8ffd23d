import { z } from "zod";

export const FLAG_KEY_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,63}$/;
const ATTRIBUTE_PATTERN = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
const SQL_IDENTIFIER_PATTERN = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/;

export const flagKeySchema = z
  .string()
  .regex(FLAG_KEY_PATTERN, "must match ^[a-z0-9][a-z0-9_.-]{0,63}$ (lower case, digits, _ . -)");

export const environmentKeySchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, "must be an environment key such as production");

/** 0–100 with at most two decimals, so it maps exactly onto basis points. */
export const percentageSchema = z
  .number()
  .min(0, "must be at least 0")
  .max(100, "must be at most 100")
  .refine((p) => Math.abs(Math.round(p * 100) - p * 100) < 1e-6, "must have at most two decimals");

const attributeSchema = z.string().regex(ATTRIBUTE_PATTERN, "must be an attribute name such as user_id");
const sqlIdentifierSchema = z.string().regex(SQL_IDENTIFIER_PATTERN, "must be a SQL identifier");

export const removalTicketInputSchema = z.strictObject({
  owner: z.string().trim().min(1).max(200).optional(),
  triggerCondition: z.string().trim().min(1).max(500).optional(),
  dueDate: z.union([z.iso.date(), z.iso.datetime({ offset: true })]).optional(),
  contraction: z
    .strictObject({
      table: z.string().regex(/^([A-Za-z_][A-Za-z0-9_$]{0,62}\.)?[A-Za-z_][A-Za-z0-9_$]{0,62}$/, "must be a table name such as orders or public.orders"),
      oldColumn: sqlIdentifierSchema,
      newColumn: sqlIdentifierSchema.optional(),
    })
    .optional(),
  link: z.url({ protocol: /^https?$/ }).max(2000).optional(),
});

export const createFlagInputSchema = z.strictObject({
  key: flagKeySchema,
  name: z.string().trim().min(1).max(200).optional(),
  description: z.string().max(5000).optional(),
  owner: z.string().trim().min(1, "must name the owning team or person").max(200),
  removalTicket: removalTicketInputSchema.optional(),
});
export type CreateFlagInput = z.infer<typeof createFlagInputSchema>;

/** A partial state update. `contexts` merges: `true`/`false` pins a kind, `null` unpins it. */
export const flagStatePatchSchema = z
  .strictObject({
    default: z.boolean().optional(),
    percentage: percentageSchema.optional(),
    rollout: z.strictObject({ by: attributeSchema }).optional(),
    contexts: z.record(attributeSchema, z.boolean().nullable()).optional(),
    reason: z.string().trim().max(1000).optional(),
  })
  .refine(
    (patch) =>
      patch.default !== undefined ||
      patch.percentage !== undefined ||
      patch.rollout !== undefined ||
      patch.contexts !== undefined,
    { message: "name at least one of default, percentage, rollout, contexts" },
  );
export type FlagStatePatch = z.infer<typeof flagStatePatchSchema>;

export const flagActionInputSchema = z.strictObject({
  reason: z.string().trim().max(1000).optional(),
});
export type FlagActionInput = z.infer<typeof flagActionInputSchema>;

export const environmentQuerySchema = z.object({
  env: environmentKeySchema.default("production"),
});
