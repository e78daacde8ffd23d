import { z } from "zod";
import { roles } from "@/lib/auth/roles";

export const roleSchema = z.enum(roles, { message: "must be viewer, operator or admin" });

export const createUserInputSchema = z.strictObject({
  email: z.email("must be an email address").max(320).transform((email) => email.toLowerCase()),
  name: z.string().trim().min(1).max(200).optional(),
  role: roleSchema,
  /** Omitted: a password is generated and answered once, for the admin to hand over. */
  password: z.string().min(10, "must be at least 10 characters").max(128).optional(),
});
export type CreateUserInput = z.infer<typeof createUserInputSchema>;

export const updateUserInputSchema = z
  .strictObject({ role: roleSchema.optional(), disabled: z.boolean().optional() })
  .refine((input) => input.role !== undefined || input.disabled !== undefined, {
    message: "must change role or disabled",
    path: ["body"],
  });
export type UpdateUserInput = z.infer<typeof updateUserInputSchema>;

/** `/api/users/{id}`: the ids Rampart gives users (UUIDs), nothing a database would choke on. */
export const userIdParams = z.strictObject({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be a user id") });
