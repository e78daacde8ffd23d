import { z } from "zod";
import { environmentKeySchema } from "@/lib/environments/schemas";
import { roleSchema } from "@/lib/users/schemas";
import type { CredentialKind } from "./kinds";

export const credentialNameSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9 _.:-]{0,63}$/, "must be 1–64 letters, digits, spaces or _ . : -");

export const createApiTokenInputSchema = z.strictObject({
  name: credentialNameSchema,
  role: roleSchema,
  /** Limits the token to one environment; omitted, it acts in every environment. */
  environment: environmentKeySchema.optional(),
});
export type CreateApiTokenInput = z.infer<typeof createApiTokenInputSchema>;

export const createSdkKeyInputSchema = z.strictObject({
  name: credentialNameSchema,
  environment: environmentKeySchema,
});
export type CreateSdkKeyInput = z.infer<typeof createSdkKeyInputSchema>;

interface CreateCredentialInputs {
  "api-token": CreateApiTokenInput;
  "sdk-key": CreateSdkKeyInput;
}
export type CreateCredentialInput<K extends CredentialKind = CredentialKind> = CreateCredentialInputs[K];
