import type { z } from "zod";
import { PayloadTooLargeError, ValidationError } from "@/lib/errors";
import { parseOrThrow } from "./validation";

export const MAX_BODY_BYTES = 64 * 1024;

/**
 * Reads a JSON body whatever its Content-Type: the seed's `curl -d` sends
 * application/x-www-form-urlencoded. An empty body reads as `{}`.
 */
export async function readJsonBody<S extends z.ZodType>(request: Request, schema: S, limitBytes = MAX_BODY_BYTES): Promise<z.output<S>> {
  const text = await readBodyText(request, limitBytes);
  let value: unknown = {};
  if (text.trim() !== "") {
    try {
      value = JSON.parse(text);
    } catch (error) {
      const reason = error instanceof Error ? error.message : "unparseable";
      throw new ValidationError("invalid_json", `The request body is not valid JSON (${reason}).`, [
        { path: "body", message: "must be a JSON object" },
      ]);
    }
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ValidationError("invalid_body", "The request body must be a JSON object.", [
      { path: "body", message: "must be a JSON object" },
    ]);
  }
  return parseOrThrow(schema, value, "body");
}

async function readBodyText(request: Request, limit: number): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > limit) throw new PayloadTooLargeError(limit);
  if (!request.body) return "";

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new PayloadTooLargeError(limit);
    }
    chunks.push(value);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new ValidationError("invalid_json", "The request body is not valid UTF-8.", [
      { path: "body", message: "must be UTF-8 JSON" },
    ]);
  }
}

/** `If-Match: 7`, `"7"` or `W/"7"` → 7; absent → undefined. */
export function readIfMatch(request: Request): number | undefined {
  const header = request.headers.get("if-match");
  if (header === null) return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  if (!match) {
    throw new ValidationError("invalid_if_match", "If-Match must carry a flag state version, e.g. If-Match: 3.", [
      { path: "If-Match", message: "must be a version number" },
    ]);
  }
  return Number(match[1]);
}
