import { z } from "zod";

/** OFREP's request: an evaluation context (targetingKey and attributes); other fields are ignored, as the protocol allows. */
export const ofrepRequestSchema = z.object({ context: z.record(z.string(), z.unknown(), "must be an object").optional() });
