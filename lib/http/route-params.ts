import { z } from "zod";
import { flagKeySchema } from "@/lib/flags/schemas";

/** `/api/flags/{key}`: a malformed key answers 400 naming `key`. */
export const flagKeyParams = z.strictObject({ key: flagKeySchema });

/** `/api/tokens/{id}`, `/api/sdk-keys/{id}`: a PostgreSQL integer id, written plainly. */
export const numericIdParams = z.strictObject({
  id: z
    .string()
    .regex(/^[1-9][0-9]{0,9}$/, "must be a positive whole number")
    .transform(Number)
    .refine((id) => id <= 2_147_483_647, "must be at most 2147483647"),
});
