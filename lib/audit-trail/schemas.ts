import { z } from "zod";
import { environmentKeySchema } from "@/lib/environments/schemas";
import { flagKeySchema } from "@/lib/flags/schemas";

// A date, or a date and time; without an offset it is read as UTC, as the audit page labels it.
const INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

function instantSchema(example: string, { dateMeansEndOfDay = false } = {}) {
  const message = `must be a date or date-time such as ${example}`;
  return z
    .string()
    .regex(INSTANT, message)
    .transform((value, ctx) => {
      const withZone = /T/.test(value) && !/(Z|[+-]\d{2}:\d{2})$/.test(value) ? `${value}Z` : value;
      const at = new Date(withZone);
      if (Number.isNaN(at.getTime())) {
        ctx.addIssue({ code: "custom", message });
        return z.NEVER;
      }
      return dateMeansEndOfDay && !value.includes("T") ? new Date(at.getTime() + 86_400_000) : at;
    });
}

export const auditQuerySchema = z
  .strictObject({
    flag: flagKeySchema.optional(),
    env: environmentKeySchema.optional(),
    /** Part of the actor, any case: an email, a token's name. */
    actor: z.string().trim().min(1, "must not be empty").max(320, "must be at most 320 characters").optional(),
    action: z.string().regex(/^[a-z][a-z_]*(\.[a-z_]+)+$/, "must be an action such as flag.killed").optional(),
    /** Events at or after `from` and before `to`; a bare date `to` includes that whole day. */
    from: instantSchema("2026-03-01 or 2026-03-01T09:30").optional(),
    to: instantSchema("2026-03-02 or 2026-03-01T17:00", { dateMeansEndOfDay: true }).optional(),
    cursor: z.string().regex(/^[0-9]{1,15}$/, "must be the nextCursor of a previous page").optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .refine((query) => !query.from || !query.to || query.from < query.to, { path: ["to"], message: "must be later than from" });
export type AuditQuery = z.infer<typeof auditQuerySchema>;
