import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import type { z } from "zod";
import { PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from "@/lib/errors";
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
  assertPlainText(value, []);
  return parseOrThrow(schema, value, "body");
}

// C0 controls other than tab, line feed and carriage return (NUL among them: PostgreSQL cannot
// store it in text), and UTF-16 surrogates that do not pair up (they would be stored altered).
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const PROTOTYPE_KEYS = new Set(["__proto__", "constructor", "prototype"]);
const MAX_DEPTH = 32;

/**
 * Every string and key in a body, checked once here rather than in each schema: no control
 * characters, no lone surrogates, no keys that name an object's prototype, no deep nesting.
 */
function assertPlainText(value: unknown, path: string[]): void {
  const where = () => path.join(".") || "body";
  if (path.length > MAX_DEPTH) throw invalidText(where(), `must be nested at most ${MAX_DEPTH} levels deep`);
  if (typeof value === "string") {
    if (CONTROL_CHARACTER.test(value)) throw invalidText(where(), "must not contain control characters such as NUL");
    if (LONE_SURROGATE.test(value)) throw invalidText(where(), "must be valid Unicode (it has an unpaired surrogate)");
    return;
  }
  if (Array.isArray(value)) return value.forEach((item, index) => assertPlainText(item, [...path, String(index)]));
  if (typeof value !== "object" || value === null) return;
  for (const [key, item] of Object.entries(value)) {
    const keyPath = [...path, key];
    if (PROTOTYPE_KEYS.has(key)) throw invalidText(keyPath.join("."), "is not allowed as a key");
    if (CONTROL_CHARACTER.test(key) || LONE_SURROGATE.test(key)) throw invalidText(where(), "has a key with control characters or invalid Unicode");
    assertPlainText(item, keyPath);
  }
}

function invalidText(path: string, message: string): ValidationError {
  return new ValidationError("invalid_text", `Invalid body: ${path}: ${message}`, [{ path, message }]);
}

const gunzipAsync = promisify(gunzip);

/**
 * The body as UTF-8 text, at most `limit` bytes as sent and, when gzipped (`Content-Encoding:
 * gzip`, SDK metrics batches), at most `limit` bytes inflated: a small bomb stops at the limit.
 */
async function readBodyText(request: Request, limit: number): Promise<string> {
  const gzipped = isGzipped(request);
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
  let bytes: Buffer = Buffer.concat(chunks);
  if (gzipped && bytes.length > 0) bytes = await inflate(bytes, limit);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new ValidationError("invalid_json", "The request body is not valid UTF-8.", [
      { path: "body", message: "must be UTF-8 JSON" },
    ]);
  }
}

/** No Content-Encoding (or `identity`) or gzip; anything else is refused before the body is read. */
function isGzipped(request: Request): boolean {
  const header = request.headers.get("content-encoding");
  const encoding = header?.trim().toLowerCase() ?? "";
  if (encoding === "" || encoding === "identity") return false;
  if (encoding === "gzip" || encoding === "x-gzip") return true;
  throw new UnsupportedMediaTypeError("unsupported_encoding", `Content-Encoding ${JSON.stringify(header)} is not supported: send gzip or no encoding.`, [
    { path: "Content-Encoding", message: "must be gzip or absent" },
  ]);
}

async function inflate(gzipped: Buffer, limit: number): Promise<Buffer> {
  try {
    return await gunzipAsync(gzipped, { maxOutputLength: limit });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") throw new PayloadTooLargeError(limit);
    throw new ValidationError("invalid_gzip", "The request body is not valid gzip, as its Content-Encoding says.", [
      { path: "body", message: "must be gzip data" },
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
