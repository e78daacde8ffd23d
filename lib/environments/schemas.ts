import { z } from "zod";

export const environmentKeySchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, "must be an environment key such as production");
