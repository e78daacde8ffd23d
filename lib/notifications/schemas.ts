import { z } from "zod";
import { environmentKeySchema } from "@/lib/environments/schemas";
import { notificationEventTypes, severities } from "@/lib/notification-events/notification-event";
import { urlRefusal } from "./url-guard";

const name = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9 _.:#-]{0,63}$/, "must be 1–64 letters, digits, spaces or _ . : # -");
/** Never echoed back, not even in an error: the messages name the problem, not the value. */
const url = z
  .string()
  .max(2_000, "must be at most 2000 characters")
  .superRefine((value, ctx) => {
    const refusal = urlRefusal(value);
    if (refusal) ctx.addIssue({ code: "custom", message: refusal });
  });
const eventTypes = z
  .array(z.enum(notificationEventTypes, `must be one of ${notificationEventTypes.join(", ")}`))
  .min(1, "must name at least one event type")
  .max(notificationEventTypes.length)
  .refine((types) => new Set(types).size === types.length, "must not repeat an event type");
const environments = z
  .array(environmentKeySchema)
  .min(1, "must name at least one environment, or be null for all")
  .max(100)
  .refine((keys) => new Set(keys).size === keys.length, "must not repeat an environment")
  .nullable();
const minSeverity = z.enum(severities, "must be info, warning or critical");

export const addDestinationSchema = z.strictObject({
  name,
  kind: z.enum(["slack", "webhook"], "must be slack or webhook"),
  url,
  eventTypes: eventTypes.default([...notificationEventTypes]),
  environments: environments.default(null),
  minSeverity: minSeverity.default("info"),
  enabled: z.boolean().default(true),
  /** A weekly list of stale flags and overdue removal tickets (Mondays 09:00 UTC), for managers. */
  staleDigest: z.boolean().default(false),
});
export type AddDestinationInput = z.infer<typeof addDestinationSchema>;

export const updateDestinationSchema = z
  .strictObject({
    name: name.optional(),
    url: url.optional(),
    eventTypes: eventTypes.optional(),
    environments: environments.optional(),
    minSeverity: minSeverity.optional(),
    enabled: z.boolean().optional(),
    staleDigest: z.boolean().optional(),
    /** A webhook's new signing secret, shown once in the answer. */
    rotateSigningSecret: z.literal(true).optional(),
  })
  .refine((input) => Object.keys(input).length > 0, "must change something");
export type UpdateDestinationInput = z.infer<typeof updateDestinationSchema>;
