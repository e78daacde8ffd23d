import { formatAbsolute } from "@/components/ui/format";

export interface FieldChange {
  field: string;
  before: string | null;
  after: string | null;
}

// Bookkeeping that changes on every write, and the guard's evidence (every count and interval,
// read through the API; the event's reason says it in words): showing them would bury the change.
const BOOKKEEPING_FIELDS = new Set(["version", "updatedAt", "updatedBy", "createdAt", "evidence"]);

/** The fields an audit event changed, as dotted paths ("percentage", "contexts.batch_processor"). */
export function summarizeChange(before: unknown, after: unknown): FieldChange[] {
  const beforeFields = flatten(before);
  const afterFields = flatten(after);
  const fields = [...new Set([...beforeFields.keys(), ...afterFields.keys()])];
  return fields.flatMap((field) => {
    const was = beforeFields.get(field) ?? null;
    const now = afterFields.get(field) ?? null;
    if (was === now) return [];
    return [{ field, before: was, after: now }];
  });
}

function flatten(value: unknown, prefix = "", into = new Map<string, string>()): Map<string, string> {
  if (isRecord(value)) {
    for (const [key, child] of Object.entries(value)) {
      if (!BOOKKEEPING_FIELDS.has(key)) flatten(child, prefix ? `${prefix}.${key}` : key, into);
    }
  } else if (prefix && value !== null && value !== undefined && value !== "") {
    into.set(prefix, formatValue(prefix, value));
  }
  return into;
}

function formatValue(field: string, value: unknown): string {
  if (typeof value === "number" && /percentage/i.test(field)) return `${value}%`;
  if (typeof value === "string") return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value) ? formatAbsolute(value) : value;
  return JSON.stringify(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
