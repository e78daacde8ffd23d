import type { z } from "zod";
import { ValidationError, type ErrorDetail } from "@/lib/errors";

/** Field-level details from a zod error; each unknown key becomes its own detail. */
export function zodDetails(error: z.ZodError, prefix: string[] = []): ErrorDetail[] {
  return error.issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path.map(String)];
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({ path: [...path, key].join("."), message: "is not a known field" }));
    }
    return [{ path: path.join(".") || "body", message: issue.message }];
  });
}

/** Parses with a schema or throws a 400 whose code and details name the first bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details = zodDetails(result.error);
  const first = result.error.issues[0];
  const code =
    first?.code === "unrecognized_keys"
      ? "unknown_field"
      : `invalid_${snakeCase(String(first?.path[0] ?? where))}`;
  const summary = details.map((d) => `${d.path}: ${d.message}`).join("; ");
  throw new ValidationError(code, `Invalid ${where}: ${summary}`, details);
}

function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").replace(/[^A-Za-z0-9]+/g, "_").toLowerCase();
}
