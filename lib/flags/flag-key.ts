// The flag key rule in words, shared by the schema (the API's 400) and the create form (as you
// type), so both say the same thing. FLAG_KEY_PATTERN in schemas.ts is the same rule.

export const FLAG_KEY_MAX_LENGTH = 64;
export const FLAG_KEY_RULE = "lowercase letters, digits, _ . and -, starting with a letter or digit; at most 64 characters";

/** What is wrong with a key, in words; null when it is a valid key. An empty key is "required". */
export function flagKeyProblem(key: string): string | null {
  if (key.length === 0) return "A key is required.";
  if (key.length > FLAG_KEY_MAX_LENGTH) return `${key.length} characters: at most ${FLAG_KEY_MAX_LENGTH}.`;
  if (!/^[a-z0-9]/.test(key)) return "Start with a lowercase letter or a digit.";
  const notAllowed = [...new Set(key.match(/[^a-z0-9_.-]/g) ?? [])];
  if (notAllowed.length === 0) return null;
  const shown = notAllowed.map((c) => (c === " " ? "spaces" : /[A-Z]/.test(c) ? `“${c}” (use lowercase)` : `“${c}”`));
  return `Not allowed: ${shown.join(", ")}. Use lowercase letters, digits, _ . and -.`;
}
