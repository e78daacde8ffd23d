import { z } from "zod";
import { flagKeySchema } from "@/lib/flags/schemas";
import { parseOrThrow } from "./validation";

const flagKeyParamSchema = z.object({ key: flagKeySchema });

/** The `{key}` in /api/flags/{key}; a malformed one answers 400 naming `key`. */
export function parseFlagKeyParam(params: { key: string }): string {
  return parseOrThrow(flagKeyParamSchema, { key: params.key }, "key").key;
}
