import { randomBytes } from "node:crypto";

/** A flag key, environment key or name no other test (or test run on a shared database) uses. */
export function uniqueKey(prefix: string): string {
  return `${prefix}_${randomBytes(4).toString("hex")}`;
}
