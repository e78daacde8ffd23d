import { z } from "zod";
import { environmentKeySchema } from "@/lib/environments/schemas";
import { flagKeySchema } from "@/lib/flags/schemas";

export const auditQuerySchema = z.strictObject({
  flag: flagKeySchema.optional(),
  env: environmentKeySchema.optional(),
  cursor: z.string().regex(/^[0-9]{1,15}$/, "must be the nextCursor of a previous page").optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;
